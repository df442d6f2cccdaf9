import t from 'tap'
import { simContext } from './sim-context.js'

/** Hostinger: no whoami, so a verified token identifies nobody; tokens carry no scopes. */
t.test('hostinger', async (t) => {
  const { sim, module, ctx } = await simContext(t, 'hostinger')
  t.beforeEach(() => sim.clearRequests())

  t.test('verified with no identity: listing the VPS is the verify', async (t) => {
    const c = module.validate(sim.issueCredential())
    t.same(await module.verify(ctx, c), { outcome: 'verified', identity: null, warnings: [] })
    t.match(sim.requests, [
      { path: '/api/vps/v1/virtual-machines', headers: { authorization: /^Bearer / } },
    ])
  })

  t.test('a revoked token is rejected with Hostinger’s own message', async (t) => {
    const c = sim.issueCredential()
    sim.revoke(c)
    t.match(await module.verify(ctx, module.validate(c)), {
      outcome: 'rejected',
      providerStatus: 401,
      reason: /rejected the API token \(Unauthenticated\)/,
    })
  })

  t.test('an "insufficient" token is as good as any: tokens have no scopes', async (t) => {
    const c = module.validate(sim.issueCredential({ scopes: 'insufficient' }))
    t.equal((await module.verify(ctx, c)).outcome, 'verified')
    t.equal((await module.listServers(ctx, c)).outcome, 'listed')
  })

  t.test('servers: hostname, state, data-center name and first IPv4', async (t) => {
    const c = sim.issueCredential({
      servers: [
        { providerServerId: '101', name: 'web', status: 'running', region: '9', ipv4: '192.0.2.5' },
        { providerServerId: '102', name: 'db', status: 'stopped', region: '404', ipv4: null },
      ],
    })
    t.same(await module.listServers(ctx, module.validate(c)), {
      outcome: 'listed',
      servers: [
        {
          providerServerId: '101',
          name: 'web.example.com',
          status: 'running',
          region: 'nl-srv-vps',
          ipv4: '192.0.2.5',
        },
        // A data center the list does not know keeps its id.
        {
          providerServerId: '102',
          name: 'db.example.com',
          status: 'stopped',
          region: '404',
          ipv4: null,
        },
      ],
    })
  })

  t.test('no VPS: no data-center look-up either', async (t) => {
    const c = module.validate(sim.issueCredential({ servers: [] }))
    t.same(await module.listServers(ctx, c), { outcome: 'listed', servers: [] })
    t.equal(sim.requests.length, 1)
  })

  t.test('the hint keeps only the last 4', async (t) => {
    const token = sim.issueCredential().token!
    t.equal(module.hint({ token }), `••••${token.slice(-4)}`)
  })
})
