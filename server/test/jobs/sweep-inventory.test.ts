import t from 'tap'
import type { ServerInfo } from '@cloudlink/shared'
import type { CheckRun } from '../../src/domain/cloud-accounts/run-check.js'
import { applyChecks } from '../../src/domain/cloud-accounts/checks.js'
import { CloudAccountEntity } from '../../src/db/entities/index.js'
import { sweepSetup } from './fixtures/recheck.js'

const listed = (servers: ServerInfo[]): CheckRun => ({
  result: { outcome: 'verified', identity: {}, warnings: [] },
  servers,
  latencyMs: 5,
})

interface Row {
  id: string
  provider_server_id: string
  name: string
  status: string
  region: string | null
  ipv4: string | null
  kind: string | null
  last_seen_at: string | Date
  created_at: string | Date
}

/**
 * The inventory a batch of verdicts writes in a few statements for all its accounts: a server
 * listed again keeps its row (id, created) with its fields and lastSeenAt renewed, a new one is
 * added, one no longer listed leaves, and the accounts of one batch never touch each other's.
 */
t.test('recheck sweep: the inventory each verdict leaves', async (t) => {
  const { a, accounts } = await sweepSetup(t, 1)
  const [one, two] = accounts.slice(0, 2).map((acc) => acc.id) as [string, string]
  const em = () => a.app.orm.em.fork()
  const load = (id: string) => em().findOneOrFail(CloudAccountEntity, { id })
  const rows = (accountId: string) =>
    em().execute<Row[]>(
      `select id, provider_server_id, name, status, region, ipv4, kind, last_seen_at, created_at
         from servers where account_id = ? order by provider_server_id`,
      [accountId],
    )
  const ms = (at: string | Date) => new Date(at).getTime()
  const apply = async (lists: Record<string, ServerInfo[]>) => {
    const checked = await Promise.all(Object.keys(lists).map(load))
    const items = checked.map((account) => ({
      checked: account,
      run: listed(lists[account.id] ?? []),
    }))
    t.same(
      await applyChecks({ em: em() }, items, 'scheduled'),
      items.map(() => true),
    )
  }

  await apply({
    [one]: [
      { providerServerId: 'keep', name: 'web-1', status: 'running', region: 'fsn1', ipv4: null },
      { providerServerId: 'drop', name: 'db-1', status: 'running' },
    ],
    [two]: [{ providerServerId: 'keep', name: 'other', status: 'off', kind: 'vps' }],
  })
  const first = await rows(one)
  t.same(
    first.map((r) => r.provider_server_id),
    ['drop', 'keep'],
  )
  const kept = first.find((r) => r.provider_server_id === 'keep') as Row

  await apply({
    [one]: [
      // Renamed, moved and given an address; listed twice, kept once; a new one beside it.
      { providerServerId: 'keep', name: 'web-2', status: 'off', region: 'nbg1', ipv4: '192.0.2.1' },
      { providerServerId: 'keep', name: 'ignored', status: 'running' },
      { providerServerId: 'x'.repeat(250), name: 'n'.repeat(300), status: 'running' },
    ],
    [two]: [{ providerServerId: 'keep', name: 'other', status: 'off', kind: 'vps' }],
  })
  const second = await rows(one)
  t.same(
    second.map((r) => [r.provider_server_id.length, r.name.length]),
    [
      [4, 5],
      [200, 255],
    ],
    '"drop" left, the new one is cut to the columns',
  )
  const renewed = second[0] as Row
  t.equal(renewed.id, kept.id, 'a server listed again keeps its row')
  t.equal(ms(renewed.created_at), ms(kept.created_at))
  t.same(
    [renewed.name, renewed.status, renewed.region, renewed.ipv4, renewed.kind],
    ['web-2', 'off', 'nbg1', '192.0.2.1', null],
  )
  t.ok(ms(renewed.last_seen_at) > ms(kept.last_seen_at), 'lastSeenAt moves with the listing')
  const account = await load(one)
  t.equal(ms(renewed.last_seen_at), account.lastCheckedAt?.getTime(), 'seen at the check')

  const theirs = await rows(two)
  t.same(
    theirs.map((r) => [r.provider_server_id, r.name, r.kind]),
    [['keep', 'other', 'vps']],
    'the same provider id on another account is that account’s own',
  )

  // Text no column (nor the JSON the rows travel in) can hold: the verdict is written anyway.
  const pair = '\u{1F5A5}' // one character, two UTF-16 units
  await apply({
    [one]: [
      { providerServerId: 'keep', name: pair.repeat(200), status: 'run\u0000ning' },
      { providerServerId: 'lone', name: 'x\uD800y', status: 'running', region: '\u0000' },
    ],
  })
  const odd = await rows(one)
  const cut = odd.find((r) => r.provider_server_id === 'keep') as Row
  t.equal(cut.name.length, 255, 'cut to the column')
  t.equal(cut.name.at(-1), '\uFFFD', 'the pair the cut split is replaced, not left half')
  t.equal(cut.status, 'running', 'NUL is dropped')
  const lone = odd.find((r) => r.provider_server_id === 'lone') as Row
  t.same([lone.name, lone.region], ['x\uFFFDy', ''])

  // An empty listing on one account leaves the other's inventory alone.
  await apply({ [two]: [] })
  t.same(await rows(two), [], 'an empty listing empties the inventory')
  t.same(
    (await rows(one)).map((r) => r.id),
    odd.map((r) => r.id),
  )
})
