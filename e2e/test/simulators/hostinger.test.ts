import t from 'tap'
import { startSimulator } from '../../src/simulators/index.js'
import { call } from '../helpers/provider-cases.js'

t.test('hostinger', async (t) => {
  const sim = await startSimulator('hostinger')
  t.teardown(() => sim.close())

  t.test('GET /api/vps/v1/virtual-machines: a plain array, [] when empty', async (t) => {
    const c = sim.issueCredential({
      servers: [
        { providerServerId: '77', name: 'vps', status: 'running', region: '9', ipv4: '192.0.2.8' },
      ],
    })
    t.match((await call(sim, '/api/vps/v1/virtual-machines', c)).body, [
      {
        id: 77,
        hostname: 'vps.example.com',
        state: 'running',
        data_center_id: 9,
        ipv4: [{ address: '192.0.2.8' }],
        ipv6: [],
      },
    ])
    sim.setServers(c, [])
    t.same((await call(sim, '/api/vps/v1/virtual-machines', c)).body, [])
  })

  t.test('data centers name the ids VMs carry', async (t) => {
    const res = await call(sim, '/api/vps/v1/data-centers', sim.issueCredential())
    t.match(res.body, [{ id: 9, name: String, location: String, city: String }])
  })

  t.test('tokens carry no scopes: "insufficient" changes nothing', async (t) => {
    const c = sim.issueCredential({ scopes: 'insufficient' })
    t.equal((await call(sim, '/api/vps/v1/virtual-machines', c)).status, 200)
  })

  t.test('rate-limit counters on every answer', async (t) => {
    const res = await call(sim, '/api/vps/v1/virtual-machines', sim.issueCredential())
    t.ok(res.headers.get('x-ratelimit-remaining'))
  })
})
