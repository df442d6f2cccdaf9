import t from 'tap'
import type { ProviderId } from '@cloudlink/shared'
import type { SimServer } from '@cloudlink/e2e/simulators'
import { build } from '../helper.js'
import { team } from '../support/fixtures.js'
import { simulators } from '../support/sims.js'

/**
 * Issue #11 through the REST API: every server in every product line and region, lists followed
 * past their first page, against the simulators the fidelity suite holds to the providers' SDKs.
 */
const PROVIDERS: ProviderId[] = ['aws', 'ovh-eu', 'transip', 'upcloud', 'hetzner-robot']

const many = (count: number, make: (i: number) => Partial<SimServer>): SimServer[] =>
  Array.from({ length: count }, (_, i) => ({
    providerServerId: `s${i}`,
    name: `n${i}`,
    status: 'running',
    region: 'r',
    ipv4: null,
    ...make(i),
  }))

t.test('inventory: every server in every region and product line', async (t) => {
  t.setTimeout(280_000)
  const { config, sim } = await simulators(t, PROVIDERS)
  const { app } = await build(t, { config })
  const { workspaceId, owner, member } = await team(app)
  const url = `/api/v1/workspaces/${workspaceId}/cloud-accounts`
  const connect = async (provider: ProviderId, servers: SimServer[], extra = {}) => {
    const credentials = { ...sim(provider).issueCredential({ servers }), ...extra }
    sim(provider).clearRequests()
    const res = await app.inject({
      method: 'POST',
      url,
      headers: owner.headers,
      payload: { provider, label: `${provider} inventory`, credentials },
    })
    t.equal(res.statusCode, 201, res.body)
    return { account: res.json(), credentials }
  }
  const serversOf = async (accountId: string) => {
    const res = await app.inject({ url: `${url}/${accountId}/servers`, headers: member.headers })
    t.equal(res.statusCode, 200)
    return res.json().items as {
      providerServerId: string
      region: string | null
      kind?: string
      ipv4: string | null
    }[]
  }

  t.test('AWS: instances of three regions, 1001 of them in one (two pages)', async (t) => {
    const servers = [
      ...many(1001, (i) => ({
        providerServerId: `i-eu${String(i).padStart(14, '0')}`,
        region: 'eu-west-1a',
      })),
      {
        providerServerId: 'i-us0000000000001',
        name: 'us',
        status: 'running',
        region: 'us-east-1b',
        ipv4: '192.0.2.1',
      },
      {
        providerServerId: 'i-ap0000000000001',
        name: 'sydney',
        status: 'stopped',
        region: 'ap-southeast-2c',
        ipv4: null,
      },
    ]
    const { account, credentials } = await connect('aws', servers)
    t.equal(account.serverCount, 1003)
    const items = await serversOf(account.id)
    const regions = new Set(items.map((s) => s.region?.replace(/[a-z]$/, '')))
    t.same([...regions].sort(), ['ap-southeast-2', 'eu-west-1', 'us-east-1'])
    t.match(
      items.find((s) => s.providerServerId === 'i-us0000000000001'),
      {
        region: 'us-east-1b',
        ipv4: '192.0.2.1',
      },
    )
    t.notOk(
      items.some((s) => 'kind' in s),
      'AWS has one product line here: no kind',
    )
    const pages = sim('aws').requests.filter((r) =>
      /Action=DescribeInstances&MaxResults/.test(r.body),
    )
    t.ok(
      pages.some((r) => /NextToken=1000/.test(r.body)),
      'followed NextToken past the first page',
    )

    // One key is one account: the same key with another home region is a duplicate.
    const again = await app.inject({
      method: 'POST',
      url,
      headers: owner.headers,
      payload: {
        provider: 'aws',
        label: 'again',
        credentials: { ...credentials, region: 'eu-west-1' },
      },
    })
    t.equal(again.statusCode, 409, again.body)
    t.equal(again.json().code, 'CONFLICT')
  })

  t.test(
    'OVHcloud: dedicated servers, a VPS and a Public Cloud instance, with kinds',
    async (t) => {
      const servers = [
        ...many(201, (i) => ({
          providerServerId: `ns${100000 + i}.ip-192-0-2.eu`,
          region: 'gra3',
          status: 'poweron',
        })),
        {
          providerServerId: 'vps-1a2b3c4d.vps.ovh.net',
          name: 'web',
          status: 'running',
          region: 'os-gra5',
          ipv4: '198.51.100.7',
          kind: 'vps',
        },
        {
          providerServerId: '6c1d4b0e-0000-4000-a000-000000000001',
          name: 'ci',
          status: 'ACTIVE',
          region: 'GRA11',
          ipv4: '203.0.113.4',
          kind: 'instance',
        },
      ]
      const { account } = await connect('ovh-eu', servers)
      t.equal(account.serverCount, 203)
      const items = await serversOf(account.id)
      const kinds: Record<string, number> = {}
      for (const s of items) kinds[s.kind ?? 'none'] = (kinds[s.kind ?? 'none'] ?? 0) + 1
      t.same(kinds, { dedicated: 201, vps: 1, instance: 1 })
      t.match(
        items.find((s) => s.kind === 'vps'),
        {
          providerServerId: 'vps-1a2b3c4d.vps.ovh.net',
          region: 'os-gra5',
          ipv4: '198.51.100.7',
        },
      )
      t.match(
        items.find((s) => s.kind === 'instance'),
        { region: 'GRA11', ipv4: '203.0.113.4' },
      )
      const pages = sim('ovh-eu').requests.filter(
        (r) => r.path === '/1.0/dedicated/server' && r.headers['x-pagination-mode'],
      )
      t.same(
        pages.map((r) => r.headers['x-pagination-number']),
        ['1', '2', '3'],
      )
    },
  )

  t.test('TransIP: its VPSes, 250 of them in three pages', async (t) => {
    const { account } = await connect(
      'transip',
      many(250, (i) => ({ providerServerId: `vps${i}`, region: 'ams0' })),
    )
    t.equal(account.serverCount, 250)
    t.equal((await serversOf(account.id)).length, 250)
    t.same(
      sim('transip')
        .requests.filter((r) => r.path.startsWith('/v6/vps'))
        .map((r) => r.path),
      [1, 2, 3].map((p) => `/v6/vps?pageSize=100&page=${p}`),
    )
  })

  t.test('UpCloud: 250 servers in three pages', async (t) => {
    const { account } = await connect(
      'upcloud',
      many(250, (i) => ({
        providerServerId: `00${String(i).padStart(6, '0')}`,
        region: 'fi-hel1',
      })),
    )
    t.equal(account.serverCount, 250)
    t.equal((await serversOf(account.id)).length, 250)
    t.same(
      sim('upcloud')
        .requests.filter((r) => r.path.startsWith('/1.3/server'))
        .map((r) => r.path),
      [0, 100, 200].map((o) => `/1.3/server?limit=100&offset=${o}`),
    )
  })

  t.test('Hetzner Robot: 250 servers, in the one answer Robot gives', async (t) => {
    const { account } = await connect(
      'hetzner-robot',
      many(250, (i) => ({ providerServerId: String(1_000_000 + i), region: 'FSN1-DC14' })),
    )
    t.equal(account.serverCount, 250)
    t.equal((await serversOf(account.id)).length, 250)
  })
})
