import t from 'tap'
import { startSimulator } from '../../src/simulators/index.js'
import { call } from '../helpers/provider-cases.js'

t.test('vultr', async (t) => {
  const sim = await startSimulator('vultr')
  t.teardown(() => sim.close())

  t.test('GET /v2/account identifies the account', async (t) => {
    const c = sim.issueCredential({ identity: { name: 'Ops', email: 'ops@example.com' } })
    const res = await call(sim, '/v2/account', c)
    t.match(res.body, { account: { name: 'Ops', email: 'ops@example.com', acls: Array } })
  })

  t.test('instances: status and power_status, cursor pagination', async (t) => {
    const servers = [
      { providerServerId: 'a-1', name: 'one', status: 'running', region: 'ewr', ipv4: '192.0.2.1' },
      { providerServerId: 'a-2', name: 'two', status: 'stopped', region: 'fra', ipv4: '192.0.2.2' },
      { providerServerId: 'a-3', name: 'new', status: 'pending', region: 'ams', ipv4: null },
    ]
    const c = sim.issueCredential({ servers })
    const all = await call(sim, '/v2/instances', c)
    t.match(all.body, {
      instances: [
        {
          id: 'a-1',
          label: 'one',
          status: 'active',
          power_status: 'running',
          main_ip: '192.0.2.1',
        },
        { id: 'a-2', status: 'active', power_status: 'stopped', region: 'fra' },
        { id: 'a-3', status: 'pending', power_status: 'stopped', main_ip: '0.0.0.0' },
      ],
      meta: { total: 3, links: { next: '', prev: '' } },
    })
    const first = await call(sim, '/v2/instances?per_page=2', c)
    const next = (first.body as { meta: { links: { next: string } } }).meta.links.next
    t.not(next, '')
    const second = await call(sim, `/v2/instances?per_page=2&cursor=${encodeURIComponent(next)}`, c)
    t.match(second.body, { instances: [{ id: 'a-3' }], meta: { total: 3, links: { next: '' } } })
  })

  t.test('insufficient permissions are a 403', async (t) => {
    const res = await call(sim, '/v2/instances', sim.issueCredential({ scopes: 'insufficient' }))
    t.same([res.status, (res.body as { status: number }).status], [403, 403])
  })

  t.test('more than 30 requests a second from one client get a 429', async (t) => {
    sim.clearLimits()
    const c = sim.issueCredential()
    const statuses = await Promise.all(
      Array.from({ length: 31 }, async () => (await call(sim, '/v2/account', c)).status),
    )
    t.equal(statuses.filter((s) => s === 429).length, 1)
    sim.clearLimits()
  })
})
