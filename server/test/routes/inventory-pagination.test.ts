import t from 'tap'
import type { ProviderId } from '@cloudlink/shared'
import type { SimServer, Simulator } from '@cloudlink/e2e/simulators'
import { build } from '../helper.js'
import { team } from '../support/fixtures.js'
import { nextIp } from '../support/http.js'
import { simulators } from '../support/sims.js'
import { oauthControl, oauthSimulators, runFlow } from '../oauth/support.js'

/**
 * Issue #11 through the REST API: each provider's server list is followed past its first page
 * (at the page size the plugin asks for), every product line included, against the simulators
 * that the fidelity suite (e2e/test/fidelity) holds to the providers' own client libraries.
 */
const TOKEN_PROVIDERS: ProviderId[] = [
  'hetzner-cloud',
  'digitalocean',
  'vultr',
  'linode',
  'scaleway',
  'hostinger',
  'cloudflare',
]

const many = (count: number, make: (i: number) => Partial<SimServer>): SimServer[] =>
  Array.from({ length: count }, (_, i) => ({
    providerServerId: String(i + 1),
    name: `srv-${String(i + 1).padStart(4, '0')}`,
    status: 'running',
    region: 'r',
    ipv4: `198.51.100.${(i % 250) + 1}`,
    ...make(i),
  }))

const uuid = (i: number, prefix = '0f1d0000') =>
  `${prefix}-0000-4000-a000-${String(i).padStart(12, '0')}`

/** The list requests a simulator saw for `path`, in order. */
const listCalls = (sim: Simulator, path: string) =>
  sim.requests.filter((r) => r.path.split('?')[0] === path).map((r) => r.path)

t.test('inventory: every page of every product line, through the REST API', async (t) => {
  t.setTimeout(290_000)
  const api = await simulators(t, TOKEN_PROVIDERS)
  const oauth = await oauthSimulators(t, ['gcp', 'azure'])
  const { app } = await build(t, { config: { ...api.config, ...oauth.config } })
  const { workspaceId, owner, member } = await team(app)
  const url = `/api/v1/workspaces/${workspaceId}/cloud-accounts`

  const connect = async (provider: ProviderId, servers: SimServer[]) => {
    const sim = api.sim(provider)
    const credentials = sim.issueCredential({ servers })
    sim.clearRequests()
    const res = await app.inject({
      method: 'POST',
      url,
      headers: owner.headers,
      remoteAddress: nextIp(),
      payload: { provider, label: `${provider} inventory`, credentials },
    })
    t.equal(res.statusCode, 201, res.body)
    return res.json() as { id: string; serverCount: number }
  }
  const serversOf = async (accountId: string) => {
    const res = await app.inject({ url: `${url}/${accountId}/servers`, headers: member.headers })
    t.equal(res.statusCode, 200)
    return res.json() as {
      items: { providerServerId: string; region: string | null; kind?: string; status: string }[]
      note?: string
    }
  }
  const ids = (items: { providerServerId: string }[]) => items.map((s) => s.providerServerId).sort()

  t.test('Hetzner Cloud: 120 servers, three pages of 50 by meta.pagination', async (t) => {
    const servers = many(120, () => ({ region: 'fsn1' }))
    const account = await connect('hetzner-cloud', servers)
    t.equal(account.serverCount, 120)
    t.same(ids((await serversOf(account.id)).items), ids(servers))
    t.same(
      listCalls(api.sim('hetzner-cloud'), '/v1/servers').filter((p) => p.includes('per_page=50')),
      [1, 2, 3].map((page) => `/v1/servers?per_page=50&page=${page}`),
    )
  })

  t.test('DigitalOcean: 450 droplets, three pages of 200 by links.pages.next', async (t) => {
    const servers = many(450, () => ({ region: 'fra1', status: 'active' }))
    const account = await connect('digitalocean', servers)
    t.equal(account.serverCount, 450)
    t.same(ids((await serversOf(account.id)).items), ids(servers))
    t.equal(listCalls(api.sim('digitalocean'), '/v2/droplets').length, 3)
  })

  t.test('Vultr: 1050 instances in three cursor pages, and bare metal', async (t) => {
    const instances = many(1050, (i) => ({ providerServerId: uuid(i), region: 'fra' }))
    const metal = many(2, (i) => ({
      providerServerId: uuid(i, '0b0b0000'),
      region: 'ams',
      status: 'active',
      kind: 'bare-metal',
    }))
    const account = await connect('vultr', [...instances, ...metal])
    t.equal(account.serverCount, 1052)
    const { items } = await serversOf(account.id)
    t.same(ids(items), ids([...instances, ...metal]))
    t.same(
      items.filter((s) => s.kind === 'bare-metal').map((s) => [s.providerServerId, s.status]),
      metal.map((s) => [s.providerServerId, 'active']),
    )
    t.equal(items.filter((s) => s.kind === 'instance').length, 1050)
    const vultr = api.sim('vultr')
    t.equal(listCalls(vultr, '/v2/instances').length, 3)
    t.match(listCalls(vultr, '/v2/instances')[2], /cursor=/)
    t.equal(listCalls(vultr, '/v2/bare-metals').length, 1)
  })

  t.test('Linode: 1050 instances, three pages of 500 by page/pages', async (t) => {
    const servers = many(1050, () => ({ region: 'eu-central' }))
    const account = await connect('linode', servers)
    t.equal(account.serverCount, 1050)
    t.same(ids((await serversOf(account.id)).items), ids(servers))
    t.same(
      listCalls(api.sim('linode'), '/v4/linode/instances'),
      [1, 2, 3].map((page) => `/v4/linode/instances?page=${page}&page_size=500`),
    )
  })

  t.test('Scaleway: 250 servers in one zone (three pages) and more in another', async (t) => {
    const paris = many(250, (i) => ({ providerServerId: uuid(i), region: 'fr-par-1' }))
    const waw = many(3, (i) => ({ providerServerId: uuid(i, '0a0a0000'), region: 'pl-waw-3' }))
    const account = await connect('scaleway', [...paris, ...waw])
    t.equal(account.serverCount, 253)
    const { items } = await serversOf(account.id)
    t.same(ids(items), ids([...paris, ...waw]))
    t.equal(items.filter((s) => s.region === 'pl-waw-3').length, 3)
    const sim = api.sim('scaleway')
    t.equal(listCalls(sim, '/instance/v1/zones/fr-par-1/servers').length, 3)
    t.equal(listCalls(sim, '/instance/v1/zones/pl-waw-3/servers').length, 1)
  })

  t.test('Hostinger: 300 VPS in its one unpaginated answer', async (t) => {
    const servers = many(300, () => ({ region: '9' }))
    const account = await connect('hostinger', servers)
    t.equal(account.serverCount, 300)
    t.same(ids((await serversOf(account.id)).items), ids(servers))
    t.equal(listCalls(api.sim('hostinger'), '/api/vps/v1/virtual-machines').length, 2)
  })

  t.test('Cloudflare: no servers to list, with the reason', async (t) => {
    const account = await connect(
      'cloudflare',
      many(30, (i) => ({ providerServerId: `z${i}` })),
    )
    t.equal(account.serverCount, 0)
    const list = await serversOf(account.id)
    t.same(list.items, [])
    t.match(list.note, /no servers/)
  })

  const oauthAccount = async (provider: 'gcp' | 'azure', servers: SimServer[]) => {
    await oauthControl(oauth.sim(provider), 'PUT', 'user', { servers })
    oauth.sim(provider).clearRequests()
    const flow = await runFlow(app, {
      provider,
      headers: owner.headers,
      workspaceId,
      label: `${provider} inventory`,
    })
    const accountId = flow.landed?.searchParams.get('connected')
    t.ok(accountId, `connected: ${flow.landed}`)
    return accountId as string
  }

  t.test('Google Cloud: 1050 instances in three zones, three pages by nextPageToken', async (t) => {
    const zones = ['europe-west1-b', 'europe-west3-a', 'us-central1-a']
    const servers = many(1050, (i) => ({
      providerServerId: String(7_000_000_000 + i),
      region: zones[i % 3] as string,
      status: 'RUNNING',
    }))
    const accountId = await oauthAccount('gcp', servers)
    const { items } = await serversOf(accountId)
    t.same(ids(items), ids(servers))
    const calls = listCalls(
      oauth.sim('gcp'),
      '/compute/v1/projects/sim-project-4711/aggregated/instances',
    )
    t.equal(calls.length, 3)
    t.match(calls[2], /pageToken=/)
  })

  t.test('Azure: 120 virtual machines, three pages by nextLink', async (t) => {
    const servers = many(120, (i) => ({ providerServerId: uuid(i), region: 'westeurope' }))
    const accountId = await oauthAccount('azure', servers)
    const { items } = await serversOf(accountId)
    t.same(ids(items), ids(servers))
    const calls = oauth
      .sim('azure')
      .requests.filter((r) => r.path.includes('/providers/Microsoft.Compute/virtualMachines'))
    t.equal(calls.length, 3)
    t.match(calls[2]?.path, /\$skiptoken=/)
  })
})
