import t from 'tap'
import https from 'node:https'
import ovhClient from '@ovhcloud/node-ovh'
import { demoCredentials, startSimulator, type SimServer } from '../../src/simulators/index.js'
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
})
