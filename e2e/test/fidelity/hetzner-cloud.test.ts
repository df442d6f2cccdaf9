import t from 'tap'
import hcloud from 'hcloud-js'
import { startSimulator } from '../../src/simulators/index.js'
import { clientFor } from '../helpers/broker-clients.js'
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

  t.test('a server created and deleted through the library; the list follows', async (t) => {
    const c = sim.issueCredential({ servers: servers.slice(0, 2) })
    const api = clientFor('hetzner-cloud', { baseUrl: sim.url, credentials: c })
    sim.clearRequests()
    const id = await api.create('cl-write-1')
    t.match(id, /^\d+$/)
    t.ok((await api.list()).includes('cl-write-1'), 'listed after the create')
    await api.remove(id)
    t.same(await api.list(), ['fid-1', 'fid-2'], 'gone after the delete')
    const writes = sim.requests.filter((r) => r.method !== 'GET')
    t.same(
      writes.map((r) => [r.method, r.path, r.credential]),
      [
        ['POST', '/v1/servers', c.token],
        ['DELETE', `/v1/servers/${id}`, c.token],
      ],
    )
    t.match(JSON.parse(writes[0]!.body), {
      name: 'cl-write-1',
      server_type: 'cx22',
      image: 'ubuntu-24.04',
      location: 'fsn1',
    })
  })

  t.test('the create answer as hcloud-js reads it; a taken name is a 409', async (t) => {
    const c = sim.issueCredential({ servers: [] })
    const builder = client(c.token as string).servers.build('cl-write-2')
    const created = await builder.serverType('cx22').image('ubuntu-24.04').create()
    t.match(created.server, { name: 'cl-write-2', status: 'initializing' })
    // The API sends `root_password` beside the server; hcloud-js looks for it inside, so null.
    t.equal(created.server.rootPassword, null)
    t.match(created.action, { command: 'create_server', status: 'running' })
    t.ok(created.server.datacenter.location.name, 'a whole server object')
    const again = client(c.token as string).servers.build('cl-write-2')
    const err = await again
      .serverType('cx22')
      .image('ubuntu-24.04')
      .create()
      .then(
        () => null,
        (e: unknown) => e,
      )
    t.match(err, { code: 'uniqueness_error' })
    const gone = await client(c.token as string).servers.delete(created.server.id)
    t.match(gone, { command: 'delete_server' })
    const missing = await client(c.token as string)
      .servers.delete(created.server.id)
      .then(
        () => null,
        (e: unknown) => e,
      )
    t.match(missing, { code: 'not_found' })
  })

  t.test('a read-only token reads, and its writes are forbidden', async (t) => {
    const readOnly = sim.issueCredential({
      access: { compute: 'read' },
      servers: servers.slice(0, 1),
    })
    const api = clientFor('hetzner-cloud', { baseUrl: sim.url, credentials: readOnly })
    t.same(await api.list(), ['fid-1'])
    await t.rejects(api.create('cl-nope'), { code: hcloud.APIError.FORBIDDEN })
    await t.rejects(api.remove(servers[0]!.providerServerId), { code: 'forbidden' })
    t.same(await api.list(), ['fid-1'], 'nothing changed')
  })
})
