import t from 'tap'
import { startSimulator } from '../../src/simulators/index.js'
import { call } from '../helpers/provider-cases.js'

const invalid = {
  success: false,
  errors: [{ code: 1000, message: 'Invalid API Token' }],
  messages: [],
  result: null,
}

t.test('cloudflare', async (t) => {
  const sim = await startSimulator('cloudflare')
  t.teardown(() => sim.close())
  const accountId = '0123456789abcdef0123456789abcdef'
  const accountToken = { token: `cfat_${'A1'.repeat(20)}0badc0de`, accountId }
  sim.registerCredential(accountToken)

  t.test('a user token verifies on /user/tokens/verify', async (t) => {
    const res = await call(sim, '/client/v4/user/tokens/verify', sim.issueCredential())
    t.match(res.body, {
      success: true,
      result: { id: /^[a-f0-9]{32}$/, status: 'active' },
      messages: [{ code: 10000, message: 'This API Token is valid and active' }],
    })
  })

  t.test('an account token is "Invalid API Token" on the user endpoint', async (t) => {
    const user = await call(sim, '/client/v4/user/tokens/verify', accountToken)
    t.same([user.status, user.body], [401, invalid])
    const own = await call(sim, `/client/v4/accounts/${accountId}/tokens/verify`, accountToken)
    t.match([own.status, own.body], [200, { success: true, result: { status: 'active' } }])
    const other = await call(
      sim,
      `/client/v4/accounts/${'f'.repeat(32)}/tokens/verify`,
      accountToken,
    )
    t.match([other.status, other.body], [403, { errors: [{ code: 9109 }] }])
  })

  t.test('a user token is invalid on an account endpoint', async (t) => {
    const res = await call(
      sim,
      `/client/v4/accounts/${accountId}/tokens/verify`,
      sim.issueCredential(),
    )
    t.same([res.status, res.body], [401, invalid])
  })

  t.test('zones are the account’s resources, filtered by account.id', async (t) => {
    const c = sim.issueCredential({
      identity: { id: 'c'.repeat(32), email: 'ada@example.com' },
      servers: [
        {
          providerServerId: 'z1',
          name: 'ada.example',
          status: 'active',
          region: 'global',
          ipv4: null,
        },
      ],
    })
    t.match((await call(sim, '/client/v4/zones?per_page=1', c)).body, {
      result: [{ id: 'z1', name: 'ada.example', account: { id: 'c'.repeat(32) } }],
      result_info: { page: 1, per_page: 1, total_count: 1 },
    })
    const other = await call(sim, `/client/v4/zones?account.id=${'d'.repeat(32)}`, c)
    t.match(other.body, { result: [], result_info: { total_count: 0 } })
    const accounts = await call(sim, '/client/v4/accounts', c)
    t.match(accounts.body, { result: [{ id: 'c'.repeat(32), name: "ada@example.com's Account" }] })
  })

  t.test('without Zone: Read the verify works and zones are 403 code 9109', async (t) => {
    const c = sim.issueCredential({ scopes: 'insufficient' })
    t.equal((await call(sim, '/client/v4/user/tokens/verify', c)).status, 200)
    const zones = await call(sim, '/client/v4/zones', c)
    t.match([zones.status, zones.body], [403, { success: false, errors: [{ code: 9109 }] }])
  })

  t.test('Ratelimit headers on every answer', async (t) => {
    const res = await call(sim, '/client/v4/user/tokens/verify', sim.issueCredential())
    t.match(res.headers.get('ratelimit'), /^"default";r=\d+;t=\d+$/)
    t.equal(res.headers.get('ratelimit-policy'), '"default";q=1200;w=300')
  })
})
