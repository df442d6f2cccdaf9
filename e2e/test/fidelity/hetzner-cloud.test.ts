import t from 'tap'
import hcloud from 'hcloud-js'
import { startSimulator } from '../../src/simulators/index.js'
import { fleet, requestsTo } from '../helpers/fidelity.js'

/**
 * Hetzner Cloud through `hcloud-js`, the Node client the Hetzner docs list (Hetzner ships no
 * official JavaScript client; their own is hcloud-go). Its Server class reads every field of a
 * server (public_net.ipv6, private_net, datacenter.location, …) and throws on a missing one, and
 * its Pagination reads `meta.pagination`. It predates servers without a public IPv4 and crashes on
 * `public_net.ipv4: null` (which the API does send), so these servers all have an address.
 *
 * Hetzner Cloud has no account or identity call: a token belongs to one project and nothing names
 * it, so the credential is proven by a read (locations, then servers).
 */

type Client = InstanceType<typeof hcloud.Client>

t.test('hetzner-cloud through hcloud-js', async (t) => {
  const sim = await startSimulator('hetzner-cloud')
  t.teardown(() => sim.close())
  const servers = fleet(120, {
    id: (i) => String(40_000_000 + i),
    status: 'running',
    region: (i) => ['fsn1', 'nbg1', 'hel1'][i % 3] as string,
  })
  const good = sim.issueCredential({ servers })
  const client = (token: string): Client =>
    new hcloud.Client({ token, baseURL: `${sim.url}/v1/`, timeout: 5000 })

  t.test('a token is accepted: the locations it may read', async (t) => {
    const list = await client(good.token as string).locations.list()
    t.ok(list.locations.length > 0)
    t.match(list.locations[0], { name: String, city: String, country: String })
    t.equal(list.totalEntries, list.locations.length)
  })

  t.test('servers over three pages, followed with the library’s next()', async (t) => {
    sim.clearRequests()
    let page = await client(good.token as string).servers.list({ perPage: 50 })
    const seen = [...page.servers]
    const pages = [page.page]
    while (page.nextPage) {
      page = await page.next()
      seen.push(...page.servers)
      pages.push(page.page)
    }
    t.same(pages, [1, 2, 3])
    t.equal(page.lastPage, 3)
    t.equal(page.totalEntries, 120)
    t.same(
      seen.map((s) => String(s.id)),
      servers.map((s) => s.providerServerId),
    )
    const first = seen[0]
    t.equal(first?.name, 'fid-1')
    t.equal(first?.status, 'running')
    t.equal(first?.publicNet.ipv4.ip, '198.51.100.1')
    t.equal(first?.datacenter.location.name, 'fsn1')
    t.ok(first?.created instanceof Date && !Number.isNaN(first.created.getTime()))
    t.same(requestsTo(sim, '/v1/servers'), [
      '/v1/servers?per_page=50',
      '/v1/servers?per_page=50&page=2',
      '/v1/servers?per_page=50&page=3',
    ])
  })

  t.test('a bad token: 401 with the documented error object', async (t) => {
    const err = await client('x'.repeat(64))
      .servers.list()
      .then(
        () => null,
        (e: unknown) => e,
      )
    t.ok(err instanceof hcloud.APIError, 'the library surfaces its APIError')
    t.match(err, { code: 'unauthorized', message: String })
  })

  t.test('a token without permission: the documented forbidden code', async (t) => {
    const weak = sim.issueCredential({ scopes: 'insufficient' })
    const err = await client(weak.token as string)
      .servers.list()
      .then(
        () => null,
        (e: unknown) => e,
      )
    t.match(err, { code: hcloud.APIError.FORBIDDEN })
  })
})
