import t from 'tap'
import { startSimulator } from '../../src/simulators/index.js'
import { call } from '../helpers/provider-cases.js'

t.test('hetzner-cloud', async (t) => {
  const sim = await startSimulator('hetzner-cloud')
  t.teardown(() => sim.close())
  const servers = [
    { providerServerId: '101', name: 'web', status: 'running', region: 'nbg1', ipv4: '192.0.2.7' },
    { providerServerId: '102', name: 'db', status: 'off', region: 'hel1', ipv4: null },
    { providerServerId: '103', name: 'ci', status: 'running', region: 'ash', ipv4: '192.0.2.9' },
  ]

  t.test('servers look like the real API and paginate with meta.pagination', async (t) => {
    const c = sim.issueCredential({ servers })
    const all = await call(sim, '/v1/servers', c)
    t.match(all.body, {
      servers: [
        {
          id: 101,
          name: 'web',
          status: 'running',
          public_net: { ipv4: { ip: '192.0.2.7' } },
          datacenter: { location: { name: 'nbg1' } },
        },
        {
          id: 102,
          status: 'off',
          public_net: { ipv4: null },
          datacenter: { location: { name: 'hel1' } },
        },
        { id: 103 },
      ],
    })
    const page = await call(sim, '/v1/servers?per_page=2&page=2', c)
    t.same((page.body as { meta: unknown }).meta, {
      pagination: {
        page: 2,
        per_page: 2,
        previous_page: 1,
        next_page: null,
        last_page: 2,
        total_entries: 3,
      },
    })
  })

  t.test('rate-limit headers count down on every answer', async (t) => {
    const c = sim.issueCredential()
    const first = await call(sim, '/v1/locations', c)
    const second = await call(sim, '/v1/locations', c)
    t.equal(first.headers.get('ratelimit-limit'), '3600')
    t.equal(first.headers.get('ratelimit-remaining'), '3599')
    t.equal(second.headers.get('ratelimit-remaining'), '3598')
    t.ok(Number(first.headers.get('ratelimit-reset')) > Date.now() / 1000)
  })

  t.test('locations are readable by any valid token; servers need permission', async (t) => {
    const c = sim.issueCredential({ scopes: 'insufficient' })
    const locations = await call(sim, '/v1/locations', c)
    t.equal(locations.status, 200)
    t.match(locations.body, { locations: [{ name: 'fsn1' }], meta: { pagination: { page: 1 } } })
    const denied = await call(sim, '/v1/servers?per_page=1', c)
    t.equal(denied.status, 403)
    t.match(denied.body, { error: { code: 'forbidden' } })
  })

  t.test('unknown paths are a not_found error', async (t) => {
    const res = await call(sim, '/v1/nope', sim.issueCredential())
    t.same([res.status, (res.body as { error: { code: string } }).error.code], [404, 'not_found'])
  })
})
