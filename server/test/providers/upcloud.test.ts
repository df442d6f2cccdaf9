import t from 'tap'
import { invalidField, simContext } from './sim-context.js'

/** UpCloud: a token or Basic auth, and errors in a legacy and an RFC 7807 shape. */
t.test('upcloud', async (t) => {
  const { sim, module, ctx } = await simContext(t, 'upcloud')
  const basicUser = { username: 'cloudlink-ops', password: 'correct-horse-battery' }
  sim.registerCredential(basicUser)
  t.beforeEach(() => sim.clearRequests())

  t.test('a token is sent as Bearer; the account names the user', async (t) => {
    const c = module.validate(sim.issueCredential({ identity: { id: 'ada-ops' } }))
    t.same(await module.verify(ctx, c), {
      outcome: 'verified',
      identity: { id: 'ada-ops', name: 'ada-ops' },
      warnings: [],
    })
    t.match(sim.requests[0], { path: '/1.3/account', headers: { authorization: /^Bearer ucat_/ } })
  })

  t.test('username and password are sent as Basic auth', async (t) => {
    const result = await module.verify(ctx, module.validate(basicUser))
    t.match(result, { outcome: 'verified', identity: { id: 'cloudlink-ops' } })
    t.match(sim.requests[0]?.headers.authorization, /^Basic /)
  })

  t.test('a rejected token: the RFC 7807 problem is read', async (t) => {
    const c = sim.issueCredential()
    sim.revoke(c)
    t.match(await module.verify(ctx, module.validate(c)), {
      outcome: 'rejected',
      providerStatus: 401,
      providerCode: 'AUTHENTICATION_FAILED',
      reason: /rejected the API token \(Authentication failed using the given token\.\)/,
    })
  })

  t.test('a rejected password: the legacy error envelope is read', async (t) => {
    const c = { username: basicUser.username, password: 'wrong-password' }
    t.match(await module.verify(ctx, module.validate(c)), {
      outcome: 'rejected',
      providerStatus: 401,
      providerCode: 'AUTHENTICATION_FAILED',
      reason:
        /username or password \(Authentication failed using the given username and password\.\)/,
    })
  })

  t.test('missing server access is rejected in both shapes, naming the code', async (t) => {
    const user = { username: 'limited-ops', password: 'correct-horse-battery' }
    sim.registerCredential(user, { scopes: 'insufficient' })
    const token = sim.issueCredential({ scopes: 'insufficient' })
    for (const c of [user, token]) {
      const creds = module.validate(c)
      t.equal((await module.verify(ctx, creds)).outcome, 'verified', 'the login itself works')
      t.match(await module.listServers(ctx, creds), {
        outcome: 'rejected',
        providerStatus: 403,
        providerCode: 'ACTION_FORBIDDEN',
        reason: /lacks permission to list servers/,
      })
    }
  })

  t.test('servers get their public IPv4 from one address-list call', async (t) => {
    const c = sim.issueCredential({
      servers: [
        {
          providerServerId: '00aa',
          name: 'web',
          status: 'started',
          region: 'fi-hel1',
          ipv4: '192.0.2.9',
        },
        { providerServerId: '00bb', name: 'db', status: 'stopped', region: 'de-fra1', ipv4: null },
      ],
    })
    t.same(await module.listServers(ctx, module.validate(c)), {
      outcome: 'listed',
      servers: [
        {
          providerServerId: '00aa',
          name: 'web',
          status: 'started',
          region: 'fi-hel1',
          ipv4: '192.0.2.9',
        },
        { providerServerId: '00bb', name: 'db', status: 'stopped', region: 'de-fra1', ipv4: null },
      ],
    })
    t.same(
      sim.requests.map((r) => r.path),
      ['/1.3/server?limit=100&offset=0', '/1.3/ip_address'],
    )
  })

  t.test('250 servers come in three pages of limit=100 (offset 0, 100, 200)', async (t) => {
    const servers = Array.from({ length: 250 }, (_, i) => ({
      providerServerId: `00${String(i).padStart(6, '0')}`,
      name: `n${i}`,
      status: 'started',
      region: 'fi-hel1',
      ipv4: null,
    }))
    const c = sim.issueCredential({ servers })
    sim.clearRequests()
    const list = await module.listServers(ctx, module.validate(c))
    t.equal(list.outcome === 'listed' && list.servers.length, 250)
    t.same(
      sim.requests.map((r) => r.path),
      [0, 100, 200].map((o) => `/1.3/server?limit=100&offset=${o}`).concat('/1.3/ip_address'),
    )
  })

  t.test('format: a token, or both username and password', async (t) => {
    const token = sim.issueCredential().token!
    t.equal(invalidField(module, {}), 'credentials.token')
    t.equal(invalidField(module, { token: '', username: '', password: '' }), 'credentials.token')
    t.equal(invalidField(module, { username: 'ops' }), 'credentials.password')
    t.equal(invalidField(module, { password: 'secret' }), 'credentials.username')
    t.equal(invalidField(module, { token, username: 'ops' }), 'credentials.username')
    t.equal(invalidField(module, { token: 'ucat_' }), 'credentials.token')
    t.equal(invalidField(module, { token, username: '', password: '' }), null)
    t.same(module.validate({ token: ` ${token} ` }), { token })
    t.same(module.validate(basicUser), basicUser)
  })

  t.test('hints: the token prefix and last 4, or the username masked', async (t) => {
    t.equal(module.hint({ token: 'ucat_01DQE3AJDEBFEKECFM558TGH2F' }), 'ucat_••••GH2F')
    t.equal(module.hint(basicUser), '••••-ops')
    t.notMatch(module.hint(basicUser), basicUser.password)
  })
})
