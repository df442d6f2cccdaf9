import t from 'tap'
import https from 'node:https'
import ovhClient from '@ovhcloud/node-ovh'
import { demoCredentials, startSimulator, type SimServer } from '../../src/simulators/index.js'
import { clientFor } from '../helpers/broker-clients.js'
import { tlsFront } from '../helpers/tls-front.js'

/**
 * The OVHcloud simulator driven by OVHcloud's own Node.js client, @ovhcloud/node-ovh
 * (https://github.com/ovh/node-ovh, lib/ovh.js): it fetches /auth/time, signs every call with its
 * own `$1$` SHA-1 signature over `https://<host><path>`, and maps errors to `{ error: status,
 * message }`. Bodies are checked against the API's own schemas (https://eu.api.ovh.com/1.0/
 * dedicated/server.json, vps.json, cloud.json; copies in UrielCh/api-ovh-node
 * code/gen/models/ovh-api/*.ts). Paged lists follow OVHcloud's control panel
 * (ovh/manager packages/manager/core/api/src/iceberg.ts, fetchIcebergV6), which node-ovh cannot
 * ask for (it sends no custom headers), so those calls are signed with node-ovh's signRequest.
 */

interface NodeOvh {
  apiTimeDiff: number | null
  requestPromised(method: string, path: string, params?: object): Promise<unknown>
  signRequest(method: string, url: string, body: string, timestamp: number): string
}
type Keys = { applicationKey: string; applicationSecret: string; consumerKey: string }

t.test('OVHcloud through @ovhcloud/node-ovh', async (t) => {
  const sim = await startSimulator('ovh-eu')
  t.teardown(() => sim.close())
  const front = await tlsFront(sim.url)
  t.teardown(() => front.close())
  const client = (k: Keys): NodeOvh =>
    ovhClient({
      appKey: k.applicationKey,
      appSecret: k.applicationSecret,
      consumerKey: k.consumerKey,
      host: '127.0.0.1',
      port: front.port,
    }) as NodeOvh
  const demo = demoCredentials['ovh-eu']!.good as Keys

  t.test('the demo keys are accepted and /me names the account', async (t) => {
    sim.clearRequests()
    const me = (await client(demo).requestPromised('GET', '/me')) as Record<string, unknown>
    t.match(me, { nichandle: /-ovh$/, email: /@/, firstname: String, ovhSubsidiary: 'FR' })
    t.same(
      sim.requests.map((r) => r.path),
      ['/1.0/auth/time', '/1.0/me'],
    )
    // node-ovh signed it, over the https URL it believed it called; the simulator checked that.
    t.match(sim.requests[1]?.headers, {
      'x-ovh-application': demo.applicationKey,
      'x-ovh-consumer': demo.consumerKey,
      'x-ovh-signature': /^\$1\$[0-9a-f]{40}$/,
    })
  })

  const dedicated: SimServer[] = Array.from({ length: 250 }, (_, i) => ({
    providerServerId: `ns${100000 + i}.ip-192-0-2.eu`,
    name: `node-${i}`,
    status: i % 2 ? 'poweron' : 'poweroff',
    region: 'gra3',
    ipv4: `192.0.2.${(i % 250) + 1}`,
  }))
  const products: SimServer[] = [
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
      name: 'ci-1',
      status: 'ACTIVE',
      region: 'GRA11',
      ipv4: '203.0.113.4',
      kind: 'instance',
      project: 'a'.repeat(32),
    },
  ]
  const owner = sim.issueCredential({ servers: [...dedicated, ...products] }) as Keys

  t.test('dedicated servers: ids, then dedicated.Server details', async (t) => {
    const api = client(owner)
    const names = (await api.requestPromised('GET', '/dedicated/server')) as string[]
    t.equal(names.length, 250)
    const detail = (await api.requestPromised('GET', '/dedicated/server/{serviceName}', {
      serviceName: names[1],
    })) as Record<string, unknown>
    // dedicated.Server: name, ip, datacenter, state, powerState, reverse… (dedicated/server.json)
    t.match(detail, {
      name: 'ns100001.ip-192-0-2.eu',
      ip: '192.0.2.2',
      datacenter: 'gra3',
      powerState: 'poweron',
      state: 'ok',
      reverse: String,
      serverId: Number,
      iam: { displayName: 'node-1', urn: /^urn:v1:eu:resource:dedicatedServer:/ },
    })
  })

  t.test('VPS and Public Cloud instances, as vps.VPS and cloud.instance.Instance', async (t) => {
    const api = client(owner)
    const [vpsName] = (await api.requestPromised('GET', '/vps')) as string[]
    t.equal(vpsName, 'vps-1a2b3c4d.vps.ovh.net')
    t.match(await api.requestPromised('GET', '/vps/{serviceName}', { serviceName: vpsName }), {
      name: vpsName,
      displayName: 'web',
      state: 'running',
      zone: 'os-gra5',
      vcore: Number,
      memoryLimit: Number,
      model: { name: String, offer: String, version: String },
      netbootMode: 'local',
      offerType: 'ssd',
    })
    t.match(await api.requestPromised('GET', '/vps/{serviceName}/ips', { serviceName: vpsName }), [
      '198.51.100.7',
      /:/,
    ])
    const projects = (await api.requestPromised('GET', '/cloud/project')) as string[]
    t.same(projects, ['a'.repeat(32)])
    const instances = (await api.requestPromised('GET', '/cloud/project/{serviceName}/instance', {
      serviceName: projects[0],
    })) as Record<string, unknown>[]
    t.match(instances, [
      {
        id: '6c1d4b0e-0000-4000-a000-000000000001',
        name: 'ci-1',
        status: 'ACTIVE',
        region: 'GRA11',
        ipAddresses: [{ ip: '203.0.113.4', type: 'public', version: 4, networkId: String }],
        flavorId: String,
        imageId: String,
        created: String,
        operationIds: [],
      },
    ])
  })

  t.test('paged lists: 250 servers in three pages of whole objects', async (t) => {
    const api = client(owner)
    await api.requestPromised('GET', '/me') // learns the API's clock, as every call does first
    const page = (n: number) =>
      new Promise<{ status: number; headers: Record<string, unknown>; body: unknown }>(
        (resolve, reject) => {
          const path = '/1.0/dedicated/server'
          const timestamp = Math.round(Date.now() / 1000) + (api.apiTimeDiff ?? 0)
          const req = https.request(
            {
              host: '127.0.0.1',
              port: front.port,
              path,
              headers: {
                'X-Ovh-Application': owner.applicationKey,
                'X-Ovh-Consumer': owner.consumerKey,
                'X-Ovh-Timestamp': String(timestamp),
                'X-Ovh-Signature': api.signRequest(
                  'GET',
                  `https://127.0.0.1${path}`,
                  '',
                  timestamp,
                ),
                'X-Pagination-Mode': 'CachedObjectList-Pages',
                'X-Pagination-Number': String(n),
                'X-Pagination-Size': '100',
              },
            },
            (res) => {
              let text = ''
              res.on('data', (chunk) => (text += chunk))
              res.on('end', () =>
                resolve({
                  status: res.statusCode ?? 0,
                  headers: res.headers,
                  body: JSON.parse(text),
                }),
              )
            },
          )
          req.on('error', reject)
          req.end()
        },
      )
    const pages = [await page(1), await page(2), await page(3)]
    t.same(
      pages.map((p) => p.status),
      [200, 200, 200],
    )
    t.same(
      pages.map((p) => (p.body as unknown[]).length),
      [100, 100, 50],
    )
    t.same(
      pages.map((p) => p.headers['x-pagination-elements']),
      ['250', '250', '250'],
    )
    const all = pages.flatMap((p) => p.body as { name: string }[])
    t.same(
      all.map((s) => s.name),
      dedicated.map((s) => s.providerServerId),
    )
    t.match(all[0], { name: String, ip: String, datacenter: 'gra3', powerState: 'poweroff' })
  })

  t.test('a bad credential gets the documented errors, as node-ovh reports them', async (t) => {
    await t.rejects(
      client({ ...owner, applicationKey: 'UnknownAppKey000' }).requestPromised('GET', '/me'),
      {
        error: 403,
        message: 'This application key is invalid',
      },
    )
    await t.rejects(
      client({ ...owner, applicationSecret: 'x'.repeat(32) }).requestPromised('GET', '/me'),
      {
        error: 400,
        message: 'Invalid signature',
      },
    )
    const revoked = demoCredentials['ovh-eu']!.revoked as Keys
    await t.rejects(client(revoked).requestPromised('GET', '/me'), {
      error: 403,
      message: 'This credential is not valid',
    })
  })

  t.test('the nearest write: a Public Cloud instance created and deleted', async (t) => {
    const c = sim.issueCredential({ servers: [...dedicated.slice(0, 2), ...products] }) as Keys
    const api = clientFor('ovh-eu', { baseUrl: sim.url, credentials: c })
    t.teardown(() => api.close())
    t.same(await api.servers(), [dedicated[0]!.providerServerId, dedicated[1]!.providerServerId])
    t.same(await api.list(), ['ci-1'])
    sim.clearRequests()
    const id = await api.create('cl-write-1')
    t.same(await api.list(), ['ci-1', 'cl-write-1'])
    await api.remove(id)
    t.same(await api.list(), ['ci-1'], 'gone after the delete')
    const path = `/1.0/cloud/project/${'a'.repeat(32)}/instance`
    const writes = sim.requests.filter((r) => r.method !== 'GET')
    t.same(
      writes.map((r) => [r.method, r.path, r.credential]),
      [
        ['POST', path, c.applicationKey],
        ['DELETE', `${path}/${id}`, c.applicationKey],
      ],
    )
    t.match(JSON.parse(writes[0]!.body), { name: 'cl-write-1', flavorId: String, region: 'GRA11' })
    t.match(writes[0]?.headers, { 'x-ovh-signature': /^\$1\$[0-9a-f]{40}$/ })
  })

  t.test('the answers: an InstanceDetail in BUILD, null on delete, 404s', async (t) => {
    const c = sim.issueCredential({ servers: products }) as Keys
    const api = client(c)
    const serviceName = 'a'.repeat(32)
    const created = (await api.requestPromised('POST', '/cloud/project/{serviceName}/instance', {
      serviceName,
      name: 'cl-write-2',
      flavorId: '0b3e0a6e-0000-4000-a000-00000000b3e8',
      region: 'SBG5',
    })) as Record<string, unknown>
    t.match(created, {
      id: /^[0-9a-f-]{36}$/,
      name: 'cl-write-2',
      status: 'BUILD',
      region: 'SBG5',
      flavor: { id: '0b3e0a6e-0000-4000-a000-00000000b3e8', vcpus: Number, ram: Number },
      ipAddresses: [],
      operationIds: [String],
    })
    const path = '/cloud/project/{serviceName}/instance/{instanceId}'
    t.equal(
      await api.requestPromised('DELETE', path, { serviceName, instanceId: created.id }),
      null,
    )
    await t.rejects(api.requestPromised('DELETE', path, { serviceName, instanceId: created.id }), {
      error: 404,
    })
    await t.rejects(
      api.requestPromised('POST', '/cloud/project/{serviceName}/instance', { serviceName }),
      { error: 400, message: 'Missing parameter(s): flavorId, name, region' },
    )
    // The project outlives its last instance.
    await api.requestPromised('DELETE', path, {
      serviceName,
      instanceId: products[1]!.providerServerId,
    })
    t.same(await api.requestPromised('GET', '/cloud/project'), [serviceName])
    t.same(
      await api.requestPromised('GET', '/cloud/project/{serviceName}/instance', { serviceName }),
      [],
    )
  })

  t.test('a consumer key allowed GET /* only: its writes are NOT_GRANTED_CALL', async (t) => {
    const readOnly = sim.issueCredential({ scopes: 'read-only', servers: products })
    const api = clientFor('ovh-eu', { baseUrl: sim.url, credentials: readOnly })
    t.teardown(() => api.close())
    t.same(await api.list(), ['ci-1'])
    await t.rejects(api.create('cl-nope'), {
      error: 403,
      message: 'This call has not been granted',
    })
  })

  t.test('with a Cloudlink token: dummy keys, and the token in X-Cloudlink-Token', async (t) => {
    sim.clearRequests()
    const api = clientFor('ovh-eu', { baseUrl: sim.url, token: 'clk_fidelity' })
    t.teardown(() => api.close())
    // The simulator is no broker: it refuses the dummy key, after logging what was sent.
    await t.rejects(api.servers(), { error: 403, message: 'This application key is invalid' })
    const refused = sim.requests.find((r) => r.path === '/1.0/dedicated/server')
    t.match(refused?.headers, {
      'x-ovh-application': 'CloudlinkBroker0',
      'x-cloudlink-token': 'clk_fidelity',
    })
  })
})
