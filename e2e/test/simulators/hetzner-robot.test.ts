import t from 'tap'
import { demoCredentials, startSimulator } from '../../src/simulators/index.js'
import { call, control } from '../helpers/provider-cases.js'

t.test('hetzner-robot', async (t) => {
  const sim = await startSimulator('hetzner-robot')
  t.teardown(() => sim.close())
  t.beforeEach(() => sim.clearLimits())
  const good = demoCredentials['hetzner-robot']!.good
  const wrong = { username: good.username as string, password: 'wrong' }

  t.test('GET /server lists dedicated servers', async (t) => {
    const c = sim.issueCredential({
      servers: [
        {
          providerServerId: '321',
          name: 'sql',
          status: 'ready',
          region: 'FSN1-DC14',
          ipv4: '192.0.2.3',
        },
      ],
    })
    const res = await call(sim, '/server', c)
    t.match(res.body, [
      {
        server: {
          server_ip: '192.0.2.3',
          server_number: 321,
          server_name: 'sql',
          dc: 'FSN1-DC14',
          status: 'ready',
          product: String,
        },
      },
    ])
  })

  t.test('an account without servers gets SERVER_NOT_FOUND', async (t) => {
    const res = await call(sim, '/server', sim.issueCredential({ servers: [] }))
    t.same(
      [res.status, res.body],
      [404, { error: { status: 404, code: 'SERVER_NOT_FOUND', message: 'No server found' } }],
    )
  })

  t.test('3 failed logins block the client for 10 minutes, valid logins included', async (t) => {
    for (let i = 0; i < 3; i++) t.equal((await call(sim, '/server', wrong)).status, 401)
    const blocked = await call(sim, '/server', good)
    t.equal(blocked.status, 403)
    t.match(blocked.body, { error: { status: 403, code: 'BLOCKED' } })
    sim.advanceClock(599)
    t.equal((await call(sim, '/server', good)).status, 403, 'still blocked')
    sim.advanceClock(1)
    t.equal((await call(sim, '/server', good)).status, 200, 'lifted after 600 s')
  })

  t.test('a successful login resets the failure count; the control API lifts blocks', async (t) => {
    await call(sim, '/server', wrong)
    await call(sim, '/server', wrong)
    await call(sim, '/server', good)
    await call(sim, '/server', wrong)
    t.equal((await call(sim, '/server', good)).status, 200)
    for (let i = 0; i < 3; i++) await call(sim, '/server', wrong)
    t.equal((await call(sim, '/server', good)).status, 403)
    t.equal((await control(sim, 'DELETE', 'limits')).status, 204)
    t.equal((await call(sim, '/server', good)).status, 200)
    await control(sim, 'POST', 'clock', { advanceSeconds: 3600 })
  })

  t.test('the 201st request in an hour is refused with 403 RATE_LIMIT_EXCEEDED', async (t) => {
    const c = sim.issueCredential()
    for (let i = 0; i < 200; i++) await call(sim, '/server', c)
    const res = await call(sim, '/server', c)
    t.equal(res.status, 403)
    t.match(res.body, { error: { code: 'RATE_LIMIT_EXCEEDED', max_request: 200, interval: 3600 } })
    sim.advanceClock(3600)
    t.equal((await call(sim, '/server', c)).status, 200)
  })

  t.test('GET /order/server/product, unless ordering is disabled', async (t) => {
    const allowed = await call(sim, '/order/server/product', sim.issueCredential())
    t.equal(allowed.status, 200)
    t.match(allowed.body, [{ product: { id: String, name: String, prices: Array } }])
    const c = sim.issueCredential({ orderingDisabled: true })
    const denied = await call(sim, '/order/server/product', c)
    t.equal(denied.status, 403)
    t.match(denied.body, { error: { status: 403, code: String, message: /ordering disabled/ } })
    t.equal((await call(sim, '/server', c)).status, 200, 'the login itself is fine')
  })
})
