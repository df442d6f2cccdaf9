import t from 'tap'
import VultrNode from '@vultr/vultr-node'
import { startSimulator } from '../../src/simulators/index.js'
import { clientFor } from '../helpers/broker-clients.js'
import { fleet, missingKeys, requestsTo, uuidFor } from '../helpers/fidelity.js'

/**
 * Vultr through `@vultr/vultr-node`, Vultr's official Node client. It resolves (not rejects) a
 * failed call with an Error reading "<status text>: <body.error>", so the documented error body
 * `{ error, status }` is what reaches the message. Field lists are govultr's JSON tags (Vultr's
 * official Go client): Instance and BareMetalServer.
 */

const INSTANCE_KEYS = [
  'id',
  'os',
  'ram',
  'disk',
  'main_ip',
  'vcpu_count',
  'region',
  'date_created',
  'status',
  'netmask_v4',
  'gateway_v4',
  'power_status',
  'server_status',
  'plan',
  'label',
  'internal_ip',
  'v6_main_ip',
  'v6_network',
  'v6_network_size',
  'features',
  'tag',
  'tags',
  'os_id',
  'app_id',
  'image_id',
  'firewall_group_id',
  'allowed_bandwidth',
  'hostname',
]
const BARE_METAL_KEYS = [
  'id',
  'os',
  'ram',
  'disk',
  'main_ip',
  'cpu_count',
  'region',
  'default_password',
  'date_created',
  'status',
  'netmask_v4',
  'gateway_v4',
  'plan',
  'v6_network',
  'v6_main_ip',
  'v6_network_size',
  'mac_address',
  'label',
  'os_id',
  'app_id',
  'image_id',
  'snapshot_id',
  'features',
  'tags',
  'user_scheme',
]

interface Listed {
  meta: { total: number; links: { next: string; prev: string } }
  [key: string]: unknown
}

t.test('vultr through @vultr/vultr-node', async (t) => {
  const sim = await startSimulator('vultr')
  t.teardown(() => sim.close())
  const instances = fleet(120, { id: (i) => uuidFor(i), status: 'running', region: 'fra' })
  const metals = fleet(7, {
    id: (i) => uuidFor(i, '0b0b0000'),
    status: 'active',
    region: 'ams',
    kind: 'bare-metal',
  })
  const good = sim.issueCredential({
    servers: [...instances, ...metals],
    identity: { name: 'Ops Team', email: 'ops@example.com' },
  })
  const vultr = (apiKey: string) => VultrNode.initialize({ apiKey, baseUrl: `${sim.url}/v2` })

  t.test('the account behind the key', async (t) => {
    const res = (await vultr(good.apiKey as string).account.getAccountInfo()) as {
      account: Record<string, unknown>
    }
    t.match(res.account, { name: 'Ops Team', email: 'ops@example.com', acls: Array })
  })

  /** Follows `meta.links.next` until it is empty, as the docs say to. */
  async function all(list: (p: Record<string, unknown>) => Promise<unknown>, key: string) {
    const items: Record<string, unknown>[] = []
    let cursor = ''
    let pages = 0
    do {
      const res = (await list(cursor ? { per_page: '50', cursor } : { per_page: '50' })) as Listed
      if (res instanceof Error) throw res
      items.push(...(res[key] as Record<string, unknown>[]))
      cursor = res.meta.links.next
      pages++
    } while (cursor)
    return { items, pages }
  }

  t.test('instances over three pages, following the meta.links.next cursor', async (t) => {
    sim.clearRequests()
    const client = vultr(good.apiKey as string)
    const { items, pages } = await all(client.instances.listInstances, 'instances')
    t.equal(pages, 3)
    t.same(
      items.map((i) => i.id),
      instances.map((s) => s.providerServerId),
    )
    t.same(missingKeys(items[0], INSTANCE_KEYS), [])
    t.match(items[0], { label: 'fid-1', main_ip: '198.51.100.1', power_status: 'running' })
    const seen = requestsTo(sim, '/v2/instances')
    t.equal(seen.length, 3)
    t.match(seen[1], /^\/v2\/instances\?per_page=50&cursor=[A-Za-z0-9%=]+$/)
  })

  t.test('bare metal is its own list at /v2/bare-metals', async (t) => {
    const client = vultr(good.apiKey as string)
    const { items } = await all(
      (p) => client.bareMetal.listInstances({ ...p, per_page: 3 }),
      'bare_metals',
    )
    t.same(
      items.map((i) => i.id),
      metals.map((s) => s.providerServerId),
    )
    t.same(missingKeys(items[0], BARE_METAL_KEYS), [])
    t.match(items[0], { label: 'fid-1', status: 'active', region: 'ams' })
  })

  t.test('a bad key: 401 with the documented { error, status }', async (t) => {
    const res = await vultr('A'.repeat(36)).account.getAccountInfo()
    t.ok(res instanceof Error, 'the library hands back an Error')
    t.equal((res as Error).message, 'Unauthorized: Invalid API token.')
    const raw = await fetch(`${sim.url}/v2/account`, {
      headers: { authorization: `Bearer ${'A'.repeat(36)}` },
    })
    t.equal(raw.status, 401)
    t.same(await raw.json(), { error: 'Invalid API token.', status: 401 })
  })

  t.test('an instance created and deleted through the library; the list follows', async (t) => {
    const c = sim.issueCredential({ servers: instances.slice(0, 2) })
    const api = clientFor('vultr', { baseUrl: sim.url, credentials: c })
    sim.clearRequests()
    const id = await api.create('cl-write-1')
    t.ok((await api.list()).includes('cl-write-1'), 'listed after the create')
    await api.remove(id)
    t.same(await api.list(), ['fid-1', 'fid-2'], 'gone after the delete')
    const writes = sim.requests.filter((r) => r.method !== 'GET')
    t.same(
      writes.map((r) => [r.method, r.path, r.credential]),
      [
        ['POST', '/v2/instances', c.apiKey],
        ['DELETE', `/v2/instances/${id}`, c.apiKey],
      ],
    )
    t.match(JSON.parse(writes[0]!.body), { region: 'fra', plan: String, os_id: '2284' })
  })

  t.test('the create answer: 202, a pending instance with its default password', async (t) => {
    const c = sim.issueCredential({ servers: [] })
    const raw = await fetch(`${sim.url}/v2/instances`, {
      method: 'POST',
      headers: { authorization: `Bearer ${c.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ region: 'ams', plan: 'vc2-1c-1gb', os_id: 2284, label: 'x' }),
    })
    t.equal(raw.status, 202)
    const { instance } = (await raw.json()) as { instance: Record<string, unknown> }
    t.same(missingKeys(instance, INSTANCE_KEYS), [])
    t.match(instance, { status: 'pending', region: 'ams', default_password: /^\w{16}$/ })
    const bad = await vultr(c.apiKey as string).instances.createInstance({
      region: 'nowhere',
      plan: 'vc2-1c-1gb',
      os_id: '2284',
    })
    t.ok(bad instanceof Error)
    t.equal((bad as Error).message, 'Bad Request: Invalid region chosen.')
  })

  t.test('a key without the ACLs: its writes are 403', async (t) => {
    const readOnly = sim.issueCredential({
      access: { compute: 'read' },
      servers: instances.slice(0, 1),
    })
    const api = clientFor('vultr', { baseUrl: sim.url, credentials: readOnly })
    t.same(await api.list(), ['fid-1'])
    await t.rejects(api.create('cl-nope'), { message: 'Forbidden: Unauthorized access.' })
    await t.rejects(api.remove(instances[0]!.providerServerId), { message: /^Forbidden/ })
    t.same(await api.list(), ['fid-1'], 'nothing changed')
  })
})
