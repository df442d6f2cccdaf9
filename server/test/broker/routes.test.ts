import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { assertErrorShape } from '../support/http.js'
import { mintToken } from '../support/tokens.js'
import { brokerApp, connect } from './support.js'

/**
 * The broker's routes with real `clk_` tokens minted through the API: the proxy (the token's
 * policy before any provider call, the raw body passed on, the provider's answer as it is), the
 * session endpoint, the owners' call list, and the proxy origins in GET /providers.
 */

const { app, sim, team } = await brokerApp(t, ['hetzner-cloud', 'aws'])
const credentials = sim('hetzner-cloud').issueCredential()
const accountId = await connect(app, team, 'hetzner-cloud', credentials)
const awsAccountId = await connect(app, team, 'aws', sim('aws').issueCredential())
const base = `/api/v1/workspaces/${team.workspaceId}`
const proxy = (id = accountId) => `${base}/cloud-accounts/${id}/proxy`
const use = await mintToken(app, team, { scopes: ['accounts:use'], name: 'platform' })

const lastSeen = () => sim('hetzner-cloud').requests.at(-1)!

t.test('a token with accounts:use reaches the provider with the stored credential', async (t) => {
  const res = await app.inject({ url: `${proxy()}/v1/servers?page=1`, headers: use.headers })
  t.equal(res.statusCode, 200, res.body.slice(0, 200))
  t.equal(res.headers['x-cloudlink-proxied'], '1')
  t.ok(Array.isArray(res.json().servers), "the provider's own body")
  t.equal(lastSeen().credential, credentials.token)
  t.equal(lastSeen().path, '/v1/servers?page=1')
  t.notMatch(JSON.stringify(lastSeen().headers), use.token, 'the clk_ token stays with Cloudlink')

  const viaHeader = await app.inject({
    url: `${proxy()}/v1/servers`,
    headers: { 'x-cloudlink-token': use.token, authorization: 'Bearer sdk-placeholder' },
  })
  t.equal(viaHeader.statusCode, 200, 'X-Cloudlink-Token beside an SDK Authorization header')
  t.equal(lastSeen().headers.authorization, `Bearer ${credentials.token}`)
})

t.test('a reconnected account is used with its new credential at once', async (t) => {
  const other = sim('hetzner-cloud').issueCredential()
  const connected = await connect(app, team, 'hetzner-cloud', other)
  const first = await app.inject({ url: `${proxy(connected)}/v1/servers`, headers: use.headers })
  t.equal(first.statusCode, 200)
  t.equal(lastSeen().credential, other.token)
  const replacement = sim('hetzner-cloud').issueCredential()
  const res = await app.inject({
    method: 'PUT',
    url: `${base}/cloud-accounts/${connected}/credentials`,
    headers: team.owner.headers,
    payload: { credentials: replacement, allowAccountChange: true },
  })
  t.equal(res.statusCode, 200, res.body)
  const after = await app.inject({ url: `${proxy(connected)}/v1/servers`, headers: use.headers })
  t.equal(after.statusCode, 200)
  t.equal(lastSeen().credential, replacement.token, 'the cached account row was not reused')
})

t.test('the body goes on as the caller sent it, unparsed', async (t) => {
  for (const [type, payload] of [
    ['application/json', '{"name":"web-9","server_type":"cx22", "extra":  [1,2]}'],
    ['text/plain', 'not json {'],
    ['application/x-www-form-urlencoded', 'a=1&b=2'],
  ] as const) {
    const res = await app.inject({
      method: 'POST',
      url: `${proxy()}/v1/servers`,
      headers: { ...use.headers, 'content-type': type },
      payload,
    })
    t.not(res.statusCode, 415, type)
    t.not(res.statusCode, 400, `${type}: ${res.body.slice(0, 120)}`)
    t.equal(lastSeen().body, payload, `${type}: byte for byte`)
    t.equal(lastSeen().headers['content-type'], type)
  }
})

t.test('people never use the broker: 403 TOKEN_SCOPE', async (t) => {
  for (const headers of [team.owner.headers, team.member.headers]) {
    const res = await app.inject({ url: `${proxy()}/v1/servers`, headers })
    t.equal(res.statusCode, 403)
    t.equal(res.json().code, 'TOKEN_SCOPE')
    const session = await app.inject({
      method: 'POST',
      url: `${base}/cloud-accounts/${awsAccountId}/session`,
      headers,
    })
    t.equal(session.json().code, 'TOKEN_SCOPE')
  }
  t.equal((await app.inject({ url: `${proxy()}/v1/servers` })).statusCode, 401)
  t.equal(
    (await app.inject({ url: `${proxy()}/v1/servers`, headers: team.outsider.headers })).statusCode,
    404,
  )
})

t.test("the token's policy holds before any provider call", async (t) => {
  const before = sim('hetzner-cloud').requests.length
  const refusals: [string, Awaited<ReturnType<typeof mintToken>>, string][] = [
    ['no accounts:use', await mintToken(app, team, { scopes: ['accounts:read'] }), 'GET'],
    [
      'read-only write',
      await mintToken(app, team, { scopes: ['accounts:use'], readOnly: true }),
      'DELETE',
    ],
    [
      'another account',
      await mintToken(app, team, { scopes: ['accounts:use'], accountIds: [awsAccountId] }),
      'GET',
    ],
  ]
  for (const [why, token, method] of refusals) {
    const res = await app.inject({
      method: method as 'GET',
      url: `${proxy()}/v1/servers/1`,
      headers: token.headers,
    })
    t.equal(res.statusCode, 403, why)
    t.equal(res.json().code, 'TOKEN_SCOPE', why)
  }
  const other = await brokerTeamToken(app)
  const foreign = await app.inject({ url: `${proxy()}/v1/servers`, headers: other.headers })
  t.equal(foreign.statusCode, 404, 'a token of another workspace learns nothing')
  t.equal(sim('hetzner-cloud').requests.length, before, 'the provider got none of them')
})

t.test('our own refusals come in the API error shape', async (t) => {
  const origin = await app.inject({
    url: `${proxy()}/v1/servers`,
    headers: { ...use.headers, 'x-cloudlink-origin': 'elsewhere' },
  })
  t.equal(origin.statusCode, 400)
  assertErrorShape(t, origin)
  t.match(origin.json().details, [{ field: 'x-cloudlink-origin' }])
  const smuggled = await app.inject({ url: `${proxy()}//127.0.0.1:1/x`, headers: use.headers })
  t.equal(smuggled.statusCode, 400)
  const missing = await app.inject({
    url: `${base}/cloud-accounts/00000000-0000-4000-8000-000000000000/proxy/v1/servers`,
    headers: use.headers,
  })
  t.equal(missing.statusCode, 404)
})

t.test('session: an AWS session for a token, audited', async (t) => {
  const res = await app.inject({
    method: 'POST',
    url: `${base}/cloud-accounts/${awsAccountId}/session?durationSeconds=900`,
    headers: use.headers,
  })
  t.equal(res.statusCode, 200, res.body)
  t.match(res.json(), { accessKeyId: /^ASIA/, sessionToken: /./, expiresAt: /Z$/ })
  t.equal(res.headers['cache-control'], 'no-store')
  const conflict = await app.inject({
    method: 'POST',
    url: `${base}/cloud-accounts/${accountId}/session`,
    headers: use.headers,
  })
  t.equal(conflict.statusCode, 409)
  const tooLong = await app.inject({
    method: 'POST',
    url: `${base}/cloud-accounts/${awsAccountId}/session?durationSeconds=7200`,
    headers: use.headers,
  })
  t.equal(tooLong.statusCode, 400)

  const audit = await app.inject({ url: `${base}/audit`, headers: team.owner.headers })
  const entries = (audit.json().items as { action: string; outcome: string }[]).filter(
    (e) => e.action === 'account.use_session',
  )
  t.match(
    entries.find((e) => e.outcome === 'success'),
    { actor: { type: 'token', name: 'platform' }, provider: 'aws', message: /STS session/ },
  )
  t.ok(
    entries.some((e) => e.outcome === 'failed'),
    'the refused one is in the trail too',
  )
  t.notMatch(audit.body, res.json().secretAccessKey, 'the secret is not in the trail')
})

t.test('broker calls: owners only, newest first', async (t) => {
  const res = await app.inject({ url: `${base}/broker-calls?limit=2`, headers: team.owner.headers })
  t.equal(res.statusCode, 200)
  t.equal(res.json().items.length, 2)
  t.match(res.json().items[0], { token: { id: use.created.id, name: 'platform' } })
  t.ok(res.json().nextCursor)
  const member = await app.inject({ url: `${base}/broker-calls`, headers: team.member.headers })
  t.equal(member.statusCode, 403)
  const token = await app.inject({ url: `${base}/broker-calls`, headers: use.headers })
  t.equal(token.json().code, 'TOKEN_SCOPE')
})

t.test('GET /providers names each provider’s proxy origins', async (t) => {
  const res = await app.inject({ url: '/api/v1/providers', headers: team.owner.headers })
  const byId = Object.fromEntries(
    res.json().items.map((p: { id: string; proxy: unknown }) => [p.id, p.proxy]),
  )
  t.same(byId['hetzner-cloud'], { defaultOrigin: 'api', origins: ['api'] })
  t.match(byId.aws, { defaultOrigin: 'ec2:us-east-1', origins: ['sts', 'ec2:us-east-1'] })
  t.same(byId.gcp, { defaultOrigin: 'compute', origins: ['compute', 'crm'] })
  for (const p of res.json().items) t.ok(p.proxy.origins.includes(p.proxy.defaultOrigin), p.id)
})

async function brokerTeamToken(instance: FastifyInstance) {
  const { team: otherTeam } = await import('../support/fixtures.js')
  return mintToken(instance, await otherTeam(instance), { scopes: ['accounts:use'] })
}
