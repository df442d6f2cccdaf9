import t from 'tap'
import { demoCredentials } from '@cloudlink/e2e/simulators'
import { invalidField, simContext } from './sim-context.js'

/** Robot's traps: a lockout after 3 failed logins, a rate limit that is a 403, no-server 404s. */
t.test('hetzner-robot', async (t) => {
  const { sim, module, ctx } = await simContext(t, 'hetzner-robot')
  const good = demoCredentials['hetzner-robot']!.good
  const wrong = { username: good.username!, password: 'not-the-password' }
  t.beforeEach(() => {
    sim.clearLimits()
    sim.fault(null)
    sim.clearRequests()
  })

  t.test('a rejected login is one request, never retried, and says why', async (t) => {
    const result = await module.verify(ctx, module.validate(wrong))
    t.match(result, {
      outcome: 'rejected',
      providerStatus: 401,
      reason: /does not retry.*blocks this server's IP for 10 minutes after 3 failed attempts/,
    })
    t.equal(sim.requests.length, 1, 'exactly one request')
    t.same(
      sim.requests.map((r) => r.path),
      ['/server'],
    )
  })

  t.test('403 RATE_LIMIT_EXCEEDED is unreachable, with the interval as retryAfter', async (t) => {
    sim.fault({ kind: 'rate-limit', retryAfter: 30 }, { times: 1 })
    const result = await module.verify(ctx, module.validate(good))
    t.match(result, {
      outcome: 'unreachable',
      reason: 'rate_limited',
      retryAfter: 3600,
      message: /200 requests per 3600 s/,
    })
    t.equal(sim.requests.length, 1, 'no retry')
  })

  t.test('the real window: the 201st request in an hour', async (t) => {
    const c = sim.issueCredential()
    for (let i = 0; i < 200; i++) await fetch(`${sim.url}/server`, { headers: basic(c) })
    const result = await module.listServers(ctx, module.validate(c))
    t.match(result, { outcome: 'unreachable', reason: 'rate_limited', retryAfter: 3600 })
  })

  t.test('a blocked IP is unreachable (the credential may be fine), not rejected', async (t) => {
    for (let i = 0; i < 3; i++)
      t.equal((await module.verify(ctx, module.validate(wrong))).outcome, 'rejected')
    const result = await module.verify(ctx, module.validate(good))
    t.match(result, {
      outcome: 'unreachable',
      reason: 'rate_limited',
      retryAfter: 600,
      message: /refusing requests from this server's IP \(BLOCKED\)/,
    })
    sim.advanceClock(600)
    t.equal((await module.verify(ctx, module.validate(good))).outcome, 'verified', 'lifted')
  })

  t.test(
    'ordering disabled: verified; the probe says it may only read, and what to enable',
    async (t) => {
      const c = module.validate(sim.issueCredential({ orderingDisabled: true }))
      t.match(await module.verify(ctx, c), { outcome: 'verified', identity: null, warnings: [] })
      sim.clearRequests()
      const { compute } = await module.probe(ctx, c, ['compute'])
      t.match(compute, {
        level: 'read',
        missing: [/Ordering enabled for the web-service user/],
        evidence: /403 .*webservice ordering disabled/,
      })
      t.same(
        sim.requests.map((r) => `${r.method} ${r.path}`),
        ['GET /order/server/product'],
      )
      const allowed = module.validate(sim.issueCredential())
      t.match(await module.probe(ctx, allowed, ['compute']), { compute: { level: 'write' } })
    },
  )

  t.test('a throttled or failed ordering check says nothing either way', async (t) => {
    const c = module.validate(sim.issueCredential({ orderingDisabled: true }))
    sim.fault({ kind: 'status', status: 503 })
    t.same(await module.probe(ctx, c, ['compute']), {})
    sim.fault(null)
  })

  t.test('no servers: 404 SERVER_NOT_FOUND still proves the login', async (t) => {
    const c = module.validate(sim.issueCredential({ servers: [] }))
    t.match(await module.verify(ctx, c), { outcome: 'verified', warnings: [] })
    t.same(await module.listServers(ctx, c), { outcome: 'listed', servers: [] })
  })

  t.test('lists dedicated servers by number, with name, data center and IP', async (t) => {
    const c = sim.issueCredential({
      servers: [
        {
          providerServerId: '1234567',
          name: 'db',
          status: 'ready',
          region: 'FSN1-DC14',
          ipv4: '192.0.2.7',
        },
        {
          providerServerId: '7654321',
          name: '',
          status: 'in process',
          region: 'HEL1-DC2',
          ipv4: null,
        },
      ],
    })
    t.same(await module.listServers(ctx, module.validate(c)), {
      outcome: 'listed',
      servers: [
        {
          providerServerId: '1234567',
          name: 'db',
          status: 'ready',
          region: 'FSN1-DC14',
          ipv4: '192.0.2.7',
        },
        {
          providerServerId: '7654321',
          name: '#7654321',
          status: 'in process',
          region: 'HEL1-DC2',
          ipv4: null,
        },
      ],
    })
  })

  t.test('format: a username with a colon cannot be sent with Basic auth', async (t) => {
    t.equal(invalidField(module, { username: 'a:b', password: 'x' }), 'credentials.username')
    t.equal(invalidField(module, { username: '#ws+abc' }), 'credentials.password')
    t.equal(invalidField(module, good), null)
  })

  t.test('the hint shows the username masked to its last 4, never the password', async (t) => {
    const hint = module.hint(
      module.validate({ username: '#ws+AbCdEfGh', password: 'p'.repeat(20) }),
    )
    t.equal(hint, '••••EfGh')
  })
})

const basic = (c: Record<string, string>) => ({
  authorization: `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`,
})
