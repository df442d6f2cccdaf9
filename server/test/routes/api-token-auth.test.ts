import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { ErrorCode } from '@cloudlink/shared'
import { build, createTestDatabase } from '../helper.js'
import { team, type Team } from '../support/fixtures.js'
import { connectDemoAccount } from '../support/routes.js'
import { connectSecondAccount, mintToken, type MintedToken } from '../support/tokens.js'
import { recordTokenUse } from '../../src/domain/api-tokens/lookup.js'

// Cached lookups are vouched for by PostgreSQL's LISTEN/NOTIFY; embedded PGlite has no feed.
const needsServer = process.env.TEST_DATABASE_URL
  ? false
  : 'needs TEST_DATABASE_URL (a PostgreSQL server)'

const sql = <T = unknown>(app: FastifyInstance, query: string, params: unknown[] = []) =>
  app.orm.em.fork().execute<T[]>(query, params)
const accountsUrl = (people: Team) => `/api/v1/workspaces/${people.workspaceId}/cloud-accounts`
const list = (app: FastifyInstance, people: Team, who: MintedToken) =>
  app.inject({ url: accountsUrl(people), headers: who.headers })
const lastUsed = async (app: FastifyInstance, id: string) =>
  (
    await sql<{ last_used_at: Date | null; last_used_ip: string | null }>(
      app,
      `select last_used_at, last_used_ip from api_tokens where id = ?`,
      [id],
    )
  )[0]

// Two instances on one database, as behind a load balancer; SANDBOX for demo credentials.
const { env } = await createTestDatabase(t)
const a = (await build(t, { env, config: { SANDBOX: '1' } })).app
const b = (await build(t, { env, config: { SANDBOX: '1' } })).app

t.test(
  'a revoked token is refused on every instance within a second',
  { skip: needsServer },
  async (t) => {
    const people = await team(a)
    const minted = await mintToken(a, people, { scopes: ['accounts:read'] })
    await b.changeFeed.sync()
    t.equal((await list(b, people, minted)).statusCode, 200)
    const before = b.readCache.stats()
    t.equal((await list(b, people, minted)).statusCode, 200)
    t.equal(b.readCache.stats().hits, before.hits + 1, 'b answered from its cached lookup')

    const revokedAt = Date.now()
    const res = await a.inject({
      method: 'DELETE',
      url: `/api/v1/workspaces/${people.workspaceId}/api-tokens/${minted.created.id}`,
      headers: people.owner.headers,
    })
    t.equal(res.statusCode, 204)
    t.equal((await list(a, people, minted)).statusCode, 401, 'refused at once where it was revoked')
    let status = 200
    while (status !== 401 && Date.now() - revokedAt < 1000) {
      status = (await list(b, people, minted)).statusCode
      if (status !== 401) await new Promise((resolve) => setTimeout(resolve, 10))
    }
    t.equal(status, 401, `refused on the other instance after ${Date.now() - revokedAt} ms`)
  },
)

t.test('an expired token is refused, cached or not', { skip: needsServer }, async (t) => {
  const people = await team(a)
  const minted = await mintToken(a, people, { scopes: ['accounts:read'] })
  const id = minted.created.id
  await sql(a, `update api_tokens set expires_at = now() - interval '1 second' where id = ?`, [id])
  const res = await list(a, people, minted)
  t.equal(res.statusCode, 401)
  t.equal(res.json().code, ErrorCode.Unauthenticated)

  // Cached while valid, then its expiry passes with no announcement at all.
  await sql(
    a,
    `update api_tokens set expires_at = now() + interval '600 milliseconds' where id = ?`,
    [id],
  )
  await a.changeFeed.sync()
  t.equal((await list(a, people, minted)).statusCode, 200)
  t.equal((await list(a, people, minted)).statusCode, 200)
  await new Promise((resolve) => setTimeout(resolve, 700))
  t.equal((await list(a, people, minted)).statusCode, 401, 'refused once expired, cache or not')
})

t.test('writes never trust a cached lookup', { skip: needsServer }, async (t) => {
  const people = await team(a)
  const accountId = await connectDemoAccount(b, people)
  const minted = await mintToken(a, people, { scopes: ['accounts:read', 'accounts:manage'] })
  t.equal((await list(b, people, minted)).statusCode, 200)
  t.equal((await list(b, people, minted)).statusCode, 200)
  // Revoked behind b's back, the notification not yet read: a write goes to the database.
  await sql(b, `update api_tokens set revoked_at = now() where id = ?`, [minted.created.id])
  const res = await b.inject({
    method: 'PATCH',
    url: `${accountsUrl(people)}/${accountId}`,
    headers: minted.headers,
    payload: { label: 'Renamed' },
  })
  t.equal(res.statusCode, 401, res.body)
})

t.test('last use is written at most once a minute per token', { skip: needsServer }, async (t) => {
  const people = await team(a)
  const minted = await mintToken(a, people, { scopes: ['accounts:read'] })
  const id = minted.created.id
  await a.inject({
    url: accountsUrl(people),
    headers: minted.headers,
    remoteAddress: '203.0.113.7',
  })
  await a.tokenUsage.settled()
  const first = await lastUsed(a, id)
  t.ok(first?.last_used_at, 'the first use is recorded')
  t.equal(first?.last_used_ip, '203.0.113.7')

  // A minute "passes" in the database; this instance still wrote a moment ago and does not again.
  await sql(a, `update api_tokens set last_used_at = now() - interval '2 minutes' where id = ?`, [
    id,
  ])
  await a.inject({
    url: accountsUrl(people),
    headers: minted.headers,
    remoteAddress: '203.0.113.8',
  })
  await a.tokenUsage.settled()
  t.equal((await lastUsed(a, id))?.last_used_ip, '203.0.113.7', 'no second write from a')

  // Another instance has not written it: its write lands, the database's clock allowing.
  await b.inject({
    url: accountsUrl(people),
    headers: minted.headers,
    remoteAddress: '203.0.113.9',
  })
  await b.tokenUsage.settled()
  const second = await lastUsed(b, id)
  t.equal(second?.last_used_ip, '203.0.113.9', 'b recorded the use')
  t.ok(Date.now() - new Date(second?.last_used_at ?? 0).getTime() < 60_000, 'as now')

  // Within the minute the database refuses any instance's write.
  await recordTokenUse(a.orm.em.fork(), id, '198.51.100.1')
  t.equal((await lastUsed(a, id))?.last_used_ip, '203.0.113.9', 'the conditional update skipped it')
  const listed = await a.inject({
    url: `/api/v1/workspaces/${people.workspaceId}/api-tokens`,
    headers: people.owner.headers,
  })
  t.match(listed.json().items[0], { lastUsedIp: '203.0.113.9', lastUsedAt: String })
})

t.test('a token limited to accounts sees and touches only those', async (t) => {
  const people = await team(a)
  const first = await connectDemoAccount(a, people)
  const second = await connectSecondAccount(a, people)
  const all = await mintToken(a, people, { scopes: ['accounts:read', 'accounts:manage'] })
  const limited = await mintToken(a, people, {
    scopes: ['accounts:read', 'accounts:manage'],
    accountIds: [second],
  })
  const ids = async (who: MintedToken, query = '') =>
    (await a.inject({ url: `${accountsUrl(people)}${query}`, headers: who.headers }))
      .json()
      .items.map((i: { id: string }) => i.id)
  // The unlimited token first, so the full list is in the list cache when the limited one reads.
  t.same((await ids(all)).sort(), [first, second].sort())
  t.same(await ids(limited), [second], 'the list shows only its account')
  t.same(await ids(limited), [second], 'also when the list is cached')
  t.same((await ids(all)).length, 2)
  const provider = (
    await a.inject({ url: `${accountsUrl(people)}/${first}`, headers: all.headers })
  ).json().provider
  t.same(await ids(limited, `?provider=${provider}`), [], 'filters combine')

  const other = await a.inject({ url: `${accountsUrl(people)}/${first}`, headers: limited.headers })
  t.equal(other.statusCode, 403)
  t.equal(other.json().code, ErrorCode.TokenScope)
  const own = await a.inject({
    url: `${accountsUrl(people)}/${second}/checks`,
    headers: limited.headers,
  })
  t.equal(own.statusCode, 200)
  const connect = await a.inject({
    method: 'POST',
    url: accountsUrl(people),
    headers: limited.headers,
    payload: { provider: 'digitalocean', label: 'New', credentials: { token: 'x' } },
  })
  t.equal(connect.statusCode, 403, 'cannot connect an account outside its own limit')
  t.equal(connect.json().code, ErrorCode.TokenScope)
})

t.test('audit entries name the token; minting and revoking name the person', async (t) => {
  const people = await team(a)
  const accountId = await connectDemoAccount(a, people)
  const minted = await mintToken(a, people, { name: 'Deploy bot', scopes: ['accounts:manage'] })
  const patched = await a.inject({
    method: 'PATCH',
    url: `${accountsUrl(people)}/${accountId}`,
    headers: minted.headers,
    payload: { description: 'Changed by a machine' },
  })
  t.equal(patched.statusCode, 200, patched.body)
  t.equal(patched.json().createdBy?.id, people.owner.user.id, 'the creator is unchanged')
  await a.inject({
    method: 'DELETE',
    url: `/api/v1/workspaces/${people.workspaceId}/api-tokens/${minted.created.id}`,
    headers: people.owner.headers,
  })
  const trail = await a.inject({
    url: `/api/v1/workspaces/${people.workspaceId}/audit`,
    headers: people.owner.headers,
  })
  const items = trail.json().items as { action: string; actor: unknown; message?: string }[]
  const byAction = (action: string) => items.find((i) => i.action === action)
  const person = {
    type: 'user',
    id: people.owner.user.id,
    name: 'Olivia Owner',
    email: people.owner.user.email,
  }
  t.same(byAction('account.update')?.actor, {
    type: 'token',
    id: minted.created.id,
    name: 'Deploy bot',
  })
  t.same(byAction('token.create')?.actor, person)
  t.match(byAction('token.create')?.message, /Deploy bot/)
  t.same(byAction('token.revoke')?.actor, person)
  t.same(byAction('account.connect')?.actor, person)
  t.notOk(trail.body.includes(minted.token), 'the token is not in the trail')
})
