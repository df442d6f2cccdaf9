import { randomUUID } from 'node:crypto'
import t from 'tap'
import { BrokerCallEntity } from '../../src/db/entities/index.js'
import { listBrokerCalls } from '../../src/domain/broker/calls.js'
import { finishSweep } from '../../src/domain/recheck/claims.js'
import { brokerApp, call, connect } from './support.js'

/** Every call on a found account is recorded (never a query value), listed newest first, pruned at 30 days. */

const { app, sim, broker, team } = await brokerApp(t, ['hetzner-cloud'])
const accountId = await connect(app, team, 'hetzner-cloud', sim('hetzner-cloud').issueCredential())
const target = { workspaceId: team.workspaceId, accountId }
const token = { id: randomUUID(), name: 'platform' }

t.test('calls are recorded with token, origin, path without query values, status', async (t) => {
  await call(app, broker, target, { token, path: '/v1/servers', query: 'name=web-1&page=2' })
  await call(app, broker, target, { token, path: '/v1/nowhere' })
  await call(app, broker, target, { token, headers: { 'x-cloudlink-origin': 'evil' } })
  await broker.settled()
  const page = await listBrokerCalls(app.orm.em.fork(), team.workspaceId, { limit: 10 })
  t.equal(page.items.length, 3)
  const [refused, missing, listed] = page.items
  t.match(listed, {
    token,
    accountId,
    provider: 'hetzner-cloud',
    method: 'GET',
    origin: 'api',
    path: '/v1/servers?name=…&page=…',
    status: 200,
  })
  t.notMatch(JSON.stringify(page), /web-1/, 'no query value is kept')
  t.ok(listed!.latencyMs >= 0)
  t.match(missing, { path: '/v1/nowhere', status: 404 }, "the provider's status")
  t.match(refused, { origin: 'evil', status: 400 }, 'our own refusal, recorded too')
})

t.test('newest first, page by page', async (t) => {
  for (let i = 0; i < 4; i++) await call(app, broker, target, { path: `/v1/servers/${i}` })
  await broker.settled()
  const em = app.orm.em.fork()
  const first = await listBrokerCalls(em, team.workspaceId, { limit: 3 })
  t.same(
    first.items.map((c) => c.path),
    ['/v1/servers/3', '/v1/servers/2', '/v1/servers/1'],
  )
  t.ok(first.nextCursor)
  const second = await listBrokerCalls(em, team.workspaceId, {
    limit: 3,
    cursor: first.nextCursor!,
  })
  t.equal(second.items[0]?.path, '/v1/servers/0')
  const all = [...first.items, ...second.items].map((c) => c.id)
  t.equal(new Set(all).size, all.length, 'no call twice')
  t.same(await listBrokerCalls(em, team.workspaceId, { limit: 3, cursor: 'bogus' }), {
    items: [],
    nextCursor: null,
  })
})

t.test('records older than 30 days go when a sweep finishes', async (t) => {
  const em = app.orm.em.fork()
  const old = randomUUID()
  await em.insert(BrokerCallEntity, {
    id: old,
    workspaceId: team.workspaceId,
    accountId,
    tokenId: null,
    tokenName: null,
    provider: 'hetzner-cloud',
    method: 'GET',
    origin: 'api',
    path: '/v1/old',
    status: 200,
    latencyMs: 1,
    at: new Date(Date.now() - 31 * 24 * 60 * 60 * 1000),
  })
  const before = (await listBrokerCalls(em, team.workspaceId, { limit: 100 })).items.length
  await finishSweep(app.orm.em.fork(), new Date())
  const after = await listBrokerCalls(app.orm.em.fork(), team.workspaceId, { limit: 100 })
  t.equal(after.items.length, before - 1)
  t.notOk(
    after.items.some((c) => c.id === old),
    'the old one is gone, the recent ones stay',
  )
})
