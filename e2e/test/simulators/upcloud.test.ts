import t from 'tap'
import { startSimulator } from '../../src/simulators/index.js'
import { call, control } from '../helpers/provider-cases.js'

t.test('upcloud', async (t) => {
  const sim = await startSimulator('upcloud')
  t.teardown(() => sim.close())
  const user = { username: 'cloudlink-ops', password: 'correct-horse-battery' }
  sim.registerCredential(user)

  t.test('GET /1.3/account names the user, for a token or Basic auth', async (t) => {
    const c = sim.issueCredential({ identity: { id: 'ada-ops' } })
    t.match((await call(sim, '/1.3/account', c)).body, {
      account: { username: 'ada-ops', credits: Number, resource_limits: { cores: Number } },
    })
    const basic = await call(sim, '/1.3/account', user)
    t.match(basic.body, { account: { username: 'cloudlink-ops' } })
    t.equal(sim.requests.at(-1)?.credential, 'cloudlink-ops:correct-horse-battery')
  })

  t.test('Basic auth failures use the legacy envelope, tokens a problem', async (t) => {
    const wrong = await call(sim, '/1.3/account', { ...user, password: 'nope' })
    t.same(
      [wrong.status, wrong.body],
      [
        401,
        {
          error: {
            error_code: 'AUTHENTICATION_FAILED',
            error_message: 'Authentication failed using the given username and password.',
          },
        },
      ],
    )
    const token = await call(sim, '/1.3/account', { token: 'ucat_00000000000000000000000000' })
    t.equal(token.status, 401)
    t.equal(token.headers.get('content-type'), 'application/problem+json')
    t.match(token.body, { type: /#ERROR_AUTHENTICATION_FAILED$/, status: 401 })
  })

  t.test('a credential needs a token, or a username and a password', async (t) => {
    t.equal((await control(sim, 'PUT', 'credentials', { credentials: {} })).status, 400)
    const half = await control(sim, 'PUT', 'credentials', { credentials: { username: 'x' } })
    t.same(half, { status: 400, body: { error: 'credentials.password is required' } })
  })

  t.test('without server access: 403 ACTION_FORBIDDEN in the caller’s shape', async (t) => {
    const limited = { username: 'limited', password: 'correct-horse-battery' }
    sim.registerCredential(limited, { scopes: 'insufficient' })
    t.equal((await call(sim, '/1.3/account', limited)).status, 200)
    const legacy = await call(sim, '/1.3/server', limited)
    t.match([legacy.status, legacy.body], [403, { error: { error_code: 'ACTION_FORBIDDEN' } }])
    const problem = await call(sim, '/1.3/server', sim.issueCredential({ scopes: 'insufficient' }))
    t.match([problem.status, problem.body], [403, { type: /#ERROR_ACTION_FORBIDDEN$/ }])
  })

  t.test('servers and their addresses come from two lists', async (t) => {
    const c = sim.issueCredential({
      servers: [
        {
          providerServerId: '00ab',
          name: 'web',
          status: 'started',
          region: 'fi-hel1',
          ipv4: '192.0.2.4',
        },
      ],
    })
    t.match((await call(sim, '/1.3/server', c)).body, {
      servers: { server: [{ uuid: '00ab', title: 'web', state: 'started', zone: 'fi-hel1' }] },
    })
    t.match((await call(sim, '/1.3/ip_address', c)).body, {
      ip_addresses: {
        ip_address: [{ address: '192.0.2.4', access: 'public', family: 'IPv4', server: '00ab' }],
      },
    })
  })
})
