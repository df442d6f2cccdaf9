import t from 'tap'
import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import { startSimulator } from '@cloudlink/e2e/simulators'
import { build, createTestDatabase } from '../helper.js'
import { team, type Session } from '../support/fixtures.js'

// Cached reads are vouched for by PostgreSQL's LISTEN/NOTIFY; embedded PGlite has no feed and
// never caches a session check, which every other test file covers when run without a server.
const needsServer = process.env.TEST_DATABASE_URL
  ? false
  : 'needs TEST_DATABASE_URL (a PostgreSQL server)'

const sql = <T = unknown>(app: FastifyInstance, query: string, params: unknown[] = []) =>
  app.orm.em.fork().execute<T[]>(query, params)

const list = (app: FastifyInstance, workspaceId: string, who: Session) =>
  app.inject({ url: `/api/v1/workspaces/${workspaceId}/cloud-accounts`, headers: who.headers })

async function twoInstances(t: Test, appOpts: Parameters<typeof build>[1]['app'] = {}) {
  const sim = await startSimulator('digitalocean')
  t.teardown(() => sim.close())
  const { env } = await createTestDatabase(t)
  const config = { PROVIDER_URL_DIGITALOCEAN: sim.url }
  const a = (await build(t, { env, config, app: appOpts })).app
  const b = (await build(t, { env, config, app: appOpts })).app
  const people = await team(a)
  // The fixtures' own notifications (new memberships) must not land in the middle of a test.
  await Promise.all([a.changeFeed.sync(), b.changeFeed.sync()])
  return { a, b, sim, ...people }
}

/** Polls until `check` holds, for states that arrive asynchronously (the feed reconnecting). */
async function eventually(check: () => boolean, what: string, ms = 10_000) {
  const until = Date.now() + ms
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

t.test(
  'a read reuses the session check; reads after the write see it',
  { skip: needsServer },
  async (t) => {
    const { a, sim, workspaceId, owner } = await twoInstances(t)
    t.ok(a.changeFeed.live, 'the change feed is up')
    t.equal((await list(a, workspaceId, owner)).statusCode, 200)
    const before = a.readCache.stats()
    t.equal((await list(a, workspaceId, owner)).statusCode, 200)
    t.equal(a.readCache.stats().hits, before.hits + 1, 'the second read used the cached check')

    // Read-your-writes on one instance: no waiting for the notification.
    const created = await a.inject({
      method: 'POST',
      url: `/api/v1/workspaces/${workspaceId}/cloud-accounts`,
      headers: owner.headers,
      payload: { provider: 'digitalocean', label: 'Prod', credentials: sim.issueCredential() },
    })
    t.equal(created.statusCode, 201, created.body)
    const afterWrite = await list(a, workspaceId, owner)
    t.same(
      afterWrite.json().items.map((i: { label: string }) => i.label),
      ['Prod'],
      'the list read right after the connect shows it',
    )
    const patched = await a.inject({
      method: 'PATCH',
      url: `/api/v1/workspaces/${workspaceId}/cloud-accounts/${created.json().id}`,
      headers: owner.headers,
      payload: { label: 'Production' },
    })
    t.equal(patched.statusCode, 200)
    t.equal((await list(a, workspaceId, owner)).json().items[0].label, 'Production')
  },
)

t.test(
  'writes on another instance or in the database reach a cached list',
  { skip: needsServer },
  async (t) => {
    const { a, b, sim, workspaceId, owner } = await twoInstances(t)
    t.same((await list(b, workspaceId, owner)).json().items, [], 'b caches an empty list')
    t.same((await list(b, workspaceId, owner)).json().items, [])

    const created = await a.inject({
      method: 'POST',
      url: `/api/v1/workspaces/${workspaceId}/cloud-accounts`,
      headers: owner.headers,
      payload: { provider: 'digitalocean', label: 'Prod', credentials: sim.issueCredential() },
    })
    t.equal(created.statusCode, 201)
    await b.changeFeed.sync()
    t.same(
      (await list(b, workspaceId, owner)).json().items.map((i: { label: string }) => i.label),
      ['Prod'],
      "a's connect is visible on b",
    )

    // A change no instance made (an operator in psql, the recheck worker's own connection).
    await sql(
      a,
      `update cloud_accounts set status = 'needs_attention', status_reason = 'revoked' where id = ?`,
      [created.json().id],
    )
    await b.changeFeed.sync()
    t.equal((await list(b, workspaceId, owner)).json().items[0].status, 'needs_attention')

    await sql(a, `delete from servers where account_id = ?`, [created.json().id])
    await b.changeFeed.sync()
    t.equal((await list(b, workspaceId, owner)).json().items[0].serverCount, 0, 'server counts too')

    // Leases and key rotation touch columns the list does not show: no revision bump for them.
    const [{ revision }] = await sql<{ revision: string }>(
      a,
      `select revision from workspace_revisions where workspace_id = ?`,
      [workspaceId],
    )
    await sql(
      a,
      `update cloud_accounts set claimed_until = now(), key_id = key_id where workspace_id = ?`,
      [workspaceId],
    )
    const [after] = await sql<{ revision: string }>(
      a,
      `select revision from workspace_revisions where workspace_id = ?`,
      [workspaceId],
    )
    t.equal(after?.revision, revision, 'an invisible change leaves the revision alone')
  },
)

t.test(
  'an upper-case workspace id is the same workspace to every cache',
  { skip: needsServer },
  async (t) => {
    const { a, b, sim, workspaceId, owner } = await twoInstances(t)
    const upper = workspaceId.toUpperCase()
    t.same((await list(b, upper, owner)).json().items, [], 'b caches an empty list under it')
    t.same((await list(b, upper, owner)).json().items, [])

    const created = await a.inject({
      method: 'POST',
      url: `/api/v1/workspaces/${upper}/cloud-accounts`,
      headers: owner.headers,
      payload: { provider: 'digitalocean', label: 'Prod', credentials: sim.issueCredential() },
    })
    t.equal(created.statusCode, 201)
    t.equal(created.json().workspaceId, workspaceId, 'answers name the id in lower case')
    await b.changeFeed.sync()
    for (const id of [upper, workspaceId])
      t.same(
        (await list(b, id, owner)).json().items.map((i: { label: string }) => i.label),
        ['Prod'],
        `the change reached the list read as ${id === upper ? 'upper' : 'lower'} case`,
      )
  },
)

t.test(
  'sign-out, removal and demotion on another instance take effect',
  { skip: needsServer },
  async (t) => {
    const { a, b, workspaceId, owner, member } = await twoInstances(t)
    t.equal((await b.inject({ url: '/api/v1/me', headers: member.headers })).statusCode, 200)
    t.equal((await list(b, workspaceId, member)).statusCode, 200)
    t.equal((await list(b, workspaceId, member)).statusCode, 200, 'cached on b')

    await sql(a, `delete from memberships where workspace_id = ? and user_id = ?`, [
      workspaceId,
      member.user.id,
    ])
    await b.changeFeed.sync()
    t.equal((await list(b, workspaceId, member)).statusCode, 404, 'removed member sees nothing')

    t.equal((await b.inject({ url: '/api/v1/me', headers: owner.headers })).statusCode, 200)
    const out = await a.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: owner.headers,
    })
    t.equal(out.statusCode, 204, out.body)
    await b.changeFeed.sync()
    t.equal(
      (await b.inject({ url: '/api/v1/me', headers: owner.headers })).statusCode,
      401,
      'a session signed out on a is refused on b',
    )
  },
)

t.test('writes never trust a cached check', { skip: needsServer }, async (t) => {
  const { b, workspaceId, owner } = await twoInstances(t)
  t.equal((await list(b, workspaceId, owner)).statusCode, 200)
  t.equal((await list(b, workspaceId, owner)).statusCode, 200)
  // Demoted behind b's back, with the notification not yet read: a read may still pass, a write may not.
  await sql(b, `update memberships set role = 'member' where user_id = ?`, [owner.user.id])
  const res = await b.inject({
    method: 'POST',
    url: `/api/v1/workspaces/${workspaceId}/invitations`,
    headers: owner.headers,
    payload: { email: 'new@example.test', role: 'member' },
  })
  t.equal(res.statusCode, 403, res.body)
})

t.test(
  'without the feed nothing is cached; it comes back by itself',
  { skip: needsServer },
  async (t) => {
    const { a, b, workspaceId, member } = await twoInstances(t)
    t.equal((await list(b, workspaceId, member)).statusCode, 200)
    t.equal((await list(b, workspaceId, member)).statusCode, 200)
    await sql(
      a,
      `select pg_terminate_backend(pid) from pg_stat_activity
                where application_name = 'cloudlink-change-feed' and datname = current_database()`,
    )
    await eventually(() => !b.changeFeed.live, 'the feed to drop')

    // No notification can arrive now; the removal must still be seen at once.
    await sql(a, `delete from memberships where workspace_id = ? and user_id = ?`, [
      workspaceId,
      member.user.id,
    ])
    const before = b.readCache.stats()
    t.equal((await list(b, workspaceId, member)).statusCode, 404, 'read from the database')
    t.equal(b.readCache.stats().hits, before.hits, 'no cached answer while the feed is down')

    await eventually(() => b.changeFeed.live, 'the feed to reconnect')
    await addBack(a, workspaceId, member)
    await b.changeFeed.sync()
    t.equal((await list(b, workspaceId, member)).statusCode, 200)
    t.equal((await list(b, workspaceId, member)).statusCode, 200)
    t.ok(b.readCache.stats().hits > before.hits, 'caching resumed after the reconnect')
  },
)

t.test('an expired entry is read again and cached again', { skip: needsServer }, async (t) => {
  const { a, workspaceId, owner } = await twoInstances(t, { readCache: { maxAgeMs: 150 } })
  t.equal((await list(a, workspaceId, owner)).statusCode, 200)
  await new Promise((resolve) => setTimeout(resolve, 200))
  const expired = a.readCache.stats()
  t.equal((await list(a, workspaceId, owner)).statusCode, 200)
  t.equal(a.readCache.stats().misses, expired.misses + 1, 'the expired check was read anew')
  t.equal((await list(a, workspaceId, owner)).statusCode, 200)
  t.equal(a.readCache.stats().hits, expired.hits + 1, 'and cached again, revision included')
})

async function addBack(app: FastifyInstance, workspaceId: string, who: Session) {
  await sql(
    app,
    `insert into memberships (workspace_id, user_id, role, created_at) values (?, ?, 'member', now())`,
    [workspaceId, who.user.id],
  )
}
