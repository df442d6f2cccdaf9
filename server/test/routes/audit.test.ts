import t from 'tap'
import { build } from '../helper.js'
import { team, type Team } from '../support/fixtures.js'
import { nextIp } from '../support/http.js'
import { invite } from '../support/routes.js'

// The audit page's filters (action, outcome, account, actor) and cursor paging within them.

const { app } = await build(t, { config: { SANDBOX: '1' } })

const goods = app.sandbox.demoCredentials.filter((d) => d.kind === 'good')
const revoked = app.sandbox.demoCredentials.find((d) => d.kind === 'revoked')!

async function connect(tm: Team, index: number, label: string) {
  const demo = goods[index]!
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/workspaces/${tm.workspaceId}/cloud-accounts`,
    headers: tm.owner.headers,
    remoteAddress: nextIp(),
    payload: { provider: demo.provider, label, credentials: demo.credentials },
  })
  if (res.statusCode !== 201) throw new Error(`connect ${label}: ${res.statusCode} ${res.body}`)
  return res.json() as { id: string; provider: string }
}

interface Entry {
  id: string
  action: string
  outcome: string
  accountId?: string
  actor: { id: string } | null
  message?: string
}

const tm = await team(app)
const audit = async (query: string) => {
  const res = await app.inject({
    url: `/api/v1/workspaces/${tm.workspaceId}/audit${query}`,
    headers: tm.owner.headers,
  })
  return res
}
const first = await connect(tm, 0, 'First')
const second = await connect(tm, 1, 'Second')
const twin = await connect(tm, 2, 'Twin')
// A refused connect: a failed entry without an account.
await app.inject({
  method: 'POST',
  url: `/api/v1/workspaces/${tm.workspaceId}/cloud-accounts`,
  headers: tm.owner.headers,
  remoteAddress: nextIp(),
  payload: { provider: revoked.provider, label: 'Refused', credentials: revoked.credentials },
})
for (let i = 0; i < 3; i++)
  await app.inject({
    method: 'PATCH',
    url: `/api/v1/workspaces/${tm.workspaceId}/cloud-accounts/${first.id}`,
    headers: tm.owner.headers,
    payload: { description: `note ${i}` },
  })
await invite(app, tm)

t.test('filters by account, action, outcome and actor', async (t) => {
  const byAccount = (await audit(`?accountId=${first.id}`)).json().items as Entry[]
  t.ok(byAccount.length >= 4, 'the connect and the three edits')
  t.ok(
    byAccount.every((e) => e.accountId === first.id),
    'only entries about that account',
  )

  const connects = (await audit('?action=account.connect')).json().items as Entry[]
  t.same(connects.map((e) => e.outcome).sort(), ['rejected', 'success', 'success', 'success'])
  t.equal(connects.length, 4, 'three connects and the refused one')
  t.ok(connects.every((e) => e.action === 'account.connect'))

  const refused = (await audit('?action=account.connect&outcome=rejected')).json().items as Entry[]
  t.equal(refused.length, 1, 'filters combine: the refused connect only')
  t.notOk(refused[0]?.accountId, 'nothing was stored, so no account')

  const byOwner = (await audit(`?actorId=${tm.owner.user.id}`)).json().items as Entry[]
  t.ok(byOwner.length >= 8)
  t.ok(byOwner.every((e) => e.actor?.id === tm.owner.user.id))
  const byMember = (await audit(`?actorId=${tm.member.user.id}`)).json()
  t.same(byMember, { items: [], nextCursor: null }, 'the member did nothing')
  t.ok(second.id && twin.id)
})

t.test('pages with the cursor inside a filter', async (t) => {
  const all = (await audit(`?accountId=${first.id}`)).json().items as Entry[]
  const seen: string[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const query: string = `?accountId=${first.id}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
    const page = (await audit(query)).json() as { items: Entry[]; nextCursor: string | null }
    t.ok(page.items.length <= 2)
    t.ok(
      page.items.every((e) => e.accountId === first.id),
      'every page keeps the filter',
    )
    seen.push(...page.items.map((e) => e.id))
    cursor = page.nextCursor
    pages += 1
  } while (cursor && pages < 10)
  t.same(
    seen,
    all.map((e) => e.id),
    'the pages add up to the filtered list, in order',
  )
  t.ok(pages >= 2)
})

t.test('a default change reads as one', async (t) => {
  const res = await app.inject({
    method: 'PATCH',
    url: `/api/v1/workspaces/${tm.workspaceId}/cloud-accounts/${second.id}`,
    headers: tm.owner.headers,
    payload: { isDefault: true, label: 'Second prod' },
  })
  t.equal(res.statusCode, 200)
  const [entry] = (await audit(`?action=account.set_default&accountId=${second.id}`)).json()
    .items as Entry[]
  t.match(entry, {
    action: 'account.set_default',
    outcome: 'success',
    message: /^Made "Second prod" the default .+ account; Renamed to "Second prod"$/,
  })
  const edits = (await audit(`?action=account.update&accountId=${first.id}`)).json()
    .items as Entry[]
  t.match(edits[0], { message: 'Changed the description' }, 'an edit says what changed')
  t.notMatch(JSON.stringify(edits), /isDefault|description,/, 'no field names')
})

t.test('refuses unknown filters and bad values, naming the field', async (t) => {
  for (const [query, field] of [
    ['?action=account.explode', 'action'],
    ['?outcome=maybe', 'outcome'],
    ['?accountId=42', 'accountId'],
    ['?actorId=someone', 'actorId'],
    ['?colour=blue', 'colour'],
  ] as const) {
    const res = await audit(query)
    t.equal(res.statusCode, 400, query)
    t.equal(res.json().code, 'VALIDATION_FAILED')
    t.match(JSON.stringify(res.json().details), field, `names ${field}`)
  }
})

t.test('members are refused, filters or not', async (t) => {
  const res = await app.inject({
    url: `/api/v1/workspaces/${tm.workspaceId}/audit?action=account.connect`,
    headers: tm.member.headers,
  })
  t.equal(res.statusCode, 403)
})
