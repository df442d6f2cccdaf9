import t from 'tap'
import type { CheckRun } from '../../src/domain/cloud-accounts/run-check.js'
import { applyChecks, CHECK_HISTORY } from '../../src/domain/cloud-accounts/checks.js'
import { createApplier } from '../../src/domain/recheck/applier.js'
import { CloudAccountEntity } from '../../src/db/entities/index.js'
import { sweepSetup } from './fixtures/recheck.js'

const verified = (serverName: string): CheckRun => ({
  result: { outcome: 'verified', identity: {}, warnings: [] },
  servers: [{ providerServerId: `srv-${serverName}`, name: serverName, status: 'running' }],
  latencyMs: 7,
})

/** The sweep writes the verdicts of many accounts in one transaction; each must land as if alone. */
t.test('recheck sweep: verdicts written in batches', async (t) => {
  const { a, accounts } = await sweepSetup(t, 1)
  const ids = accounts.slice(0, 6).map((acc) => acc.id)
  const load = (id: string) => a.app.orm.em.fork().findOneOrFail(CloudAccountEntity, { id })
  const count = async (sql: string, params: unknown[]) =>
    (await a.app.orm.em.fork().execute<{ n: number }[]>(sql, params))[0]?.n
  const scheduled = (id: string) =>
    count(`select count(*)::int as n from checks where account_id = ? and trigger = 'scheduled'`, [
      id,
    ])

  t.test('one transaction: each account its check, inventory and history bound', async (t) => {
    const [first, second, replaced] = ids as [string, string, string]
    // A long history on the first: the batch keeps only the newest CHECK_HISTORY of it.
    await a.app.orm.em.fork().execute(
      `insert into checks (id, account_id, at, trigger, outcome, message, latency_ms)
         select gen_random_uuid(), ?, now() - make_interval(mins => g), 'manual', 'ok', 'old', 1
           from generate_series(1, ${CHECK_HISTORY + 20}) g`,
      [first],
    )
    const checked = await Promise.all([first, second, replaced].map(load))
    // A reconnect stored another credential after the third was checked: its verdict is dropped.
    await a.app.orm.em
      .fork()
      .execute(`update cloud_accounts set ciphertext = '\\x00'::bytea where id = ?`, [replaced])
    const before = await load(replaced)
    const applied = await applyChecks(
      { em: a.app.orm.em.fork() },
      checked.map((account, i) => ({ checked: account, run: verified(`web-${i}`) })),
      'scheduled',
    )
    t.same(applied, [true, true, false])
    t.equal(await scheduled(first), 1)
    t.equal(await scheduled(second), 1)
    t.equal(await scheduled(replaced), 0, 'nothing recorded for the replaced credential')
    t.equal((await load(replaced)).lastCheckedAt?.getTime(), before.lastCheckedAt?.getTime())
    t.equal(
      await count(`select count(*)::int as n from checks where account_id = ?`, [first]),
      CHECK_HISTORY,
    )
    t.equal(
      await count(
        `select count(*)::int as n from checks where account_id = ? and trigger = 'scheduled'`,
        [first],
      ),
      1,
      'the newest (this check) is kept, the oldest go',
    )
    const servers = await a.app.orm.em
      .fork()
      .execute<{ account_id: string; name: string }[]>(
        `select account_id, name from servers where account_id in (?, ?) order by name`,
        [first, second],
      )
    t.same(
      servers.map((s) => [s.account_id, s.name]),
      [
        [first, 'web-0'],
        [second, 'web-1'],
      ],
      'each account its own listing, the old inventory replaced',
    )
  })

  t.test('the claim goes back with the verdict, unless another instance holds it', async (t) => {
    const [mine, theirs] = ids.slice(4, 6) as [string, string]
    const lease = new Date(Date.now() + 60_000)
    const other = new Date(Date.now() + 120_000)
    const em = a.app.orm.em.fork()
    await em.execute(`update cloud_accounts set claimed_until = ? where id = ?`, [lease, mine])
    // Our claim expired and another instance claimed the account again: its lease is not ours.
    await em.execute(`update cloud_accounts set claimed_until = ? where id = ?`, [other, theirs])
    const checked = await Promise.all([mine, theirs].map(load))
    t.same(
      await applyChecks(
        { em: a.app.orm.em.fork() },
        checked.map((account) => ({ checked: account, run: verified('x'), lease })),
        'scheduled',
      ),
      [true, true],
    )
    t.equal((await load(mine)).claimedUntil, null)
    t.equal((await load(theirs)).claimedUntil?.getTime(), other.getTime())
  })

  t.test('a verdict that cannot be written costs the others nothing', async (t) => {
    const [, , , broken] = ids as [string, string, string, string]
    const healthy = ids.slice(0, 2)
    const em = a.app.orm.em.fork()
    // A real database refusal for one account: the batch rolls back, then each is tried alone.
    await em.execute(`
      create function refuse_check() returns trigger language plpgsql as $$
      begin
        if new.account_id = '${broken}' then raise exception 'refused for the test'; end if;
        return new;
      end $$;
      create trigger refuse_check before insert on checks for each row execute function refuse_check();
    `)
    t.teardown(() =>
      em.execute(`drop trigger refuse_check on checks; drop function refuse_check();`),
    )
    const before = await Promise.all(healthy.map(scheduled))
    const applier = createApplier(a.app.orm, { maxBatch: 64, inFlight: 1 })
    const checked = await Promise.all([...healthy, broken].map(load))
    // The first goes alone; the other two queue behind it and are written together.
    const results = await Promise.allSettled(
      checked.map((account, i) => applier.apply({ checked: account, run: verified(`db-${i}`) })),
    )
    t.same(
      results.map((r) => r.status),
      ['fulfilled', 'fulfilled', 'rejected'],
    )
    t.same(
      await Promise.all(healthy.map(scheduled)),
      before.map((n) => (n ?? 0) + 1),
    )
    t.equal(await scheduled(broken), 0)
  })

  /** How many transactions wrote these accounts' scheduled checks since `since` (rows share xmin). */
  const transactions = (accountIds: string[], since: Date) =>
    count(
      `select count(distinct xmin::text)::int as n from checks
        where account_id = any(?::uuid[]) and trigger = 'scheduled' and at >= ?`,
      [`{${accountIds.join(',')}}`, since],
    )
  const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

  t.test('verdicts arriving within the linger share one transaction', async (t) => {
    const some = ids.slice(0, 3)
    const since = new Date()
    const applier = createApplier(a.app.orm, { maxBatch: 64, inFlight: 1, lingerMs: 60_000 })
    const checked = await Promise.all(some.map(load))
    const applied: Promise<boolean>[] = []
    for (const [i, account] of checked.entries()) {
      applied.push(applier.apply({ checked: account, run: verified(`linger-${i}`) }))
      await later(20)
    }
    // Nothing is written while the batch lingers; the sweep's end writes it at once.
    t.equal(await transactions(some, since), 0, 'nothing written during the linger')
    applier.flush()
    t.same(await Promise.all(applied), [true, true, true])
    t.equal(await transactions(some, since), 1, 'one transaction for the three')
  })

  t.test('without a linger the first verdict goes alone', async (t) => {
    const some = ids.slice(0, 3)
    const since = new Date()
    const applier = createApplier(a.app.orm, { maxBatch: 64, inFlight: 1 })
    const checked = await Promise.all(some.map(load))
    t.same(
      await Promise.all(
        checked.map((account, i) => applier.apply({ checked: account, run: verified(`n-${i}`) })),
      ),
      [true, true, true],
    )
    t.equal(await transactions(some, since), 2, 'the first alone, the other two together')
  })

  t.test('a full batch does not wait out the linger', async (t) => {
    const some = ids.slice(0, 2)
    const since = new Date()
    const applier = createApplier(a.app.orm, { maxBatch: 2, inFlight: 1, lingerMs: 600_000 })
    const checked = await Promise.all(some.map(load))
    // Never flushed: only a full batch can end this (tap's timeout fails it otherwise).
    t.same(
      await Promise.all(
        checked.map((account, i) => applier.apply({ checked: account, run: verified(`f-${i}`) })),
      ),
      [true, true],
    )
    t.equal(await transactions(some, since), 1)
  })
})
