import t from 'tap'
import ovhClient from '@ovhcloud/node-ovh'
import { startSimulator, type SimServer } from '../../src/simulators/index.js'
import { clientFor } from '../helpers/broker-clients.js'
import { tlsFront } from '../helpers/tls-front.js'

/**
 * OVHcloud's nearest harmless write, through @ovhcloud/node-ovh (see ovh.test.ts for the reads):
 * dedicated servers and VPS are bought through the cart, never created by the API, so the write
 * is a Public Cloud instance (cloud.json: POST /cloud/project/{serviceName}/instance answers a
 * `cloud.instance.InstanceDetail`; DELETE …/instance/{instanceId} answers null).
 */

interface NodeOvh {
  requestPromised(method: string, path: string, params?: object): Promise<unknown>
}
type Keys = { applicationKey: string; applicationSecret: string; consumerKey: string }

t.test('OVHcloud writes through @ovhcloud/node-ovh', async (t) => {
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
  const dedicated: SimServer[] = [0, 1].map((i) => ({
    providerServerId: `ns${100000 + i}.ip-192-0-2.eu`,
    name: `node-${i}`,
    status: 'poweron',
    region: 'gra3',
    ipv4: `192.0.2.${i + 1}`,
  }))
  const products: SimServer[] = [
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

  t.test('the nearest write: a Public Cloud instance created and deleted', async (t) => {
    const c = sim.issueCredential({ servers: [...dedicated, ...products] }) as Keys
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
      instanceId: products[0]!.providerServerId,
    })
    t.same(await api.requestPromised('GET', '/cloud/project'), [serviceName])
    t.same(
      await api.requestPromised('GET', '/cloud/project/{serviceName}/instance', { serviceName }),
      [],
    )
  })

  t.test('a consumer key allowed GET /* only: its writes are NOT_GRANTED_CALL', async (t) => {
    const readOnly = sim.issueCredential({ access: { compute: 'read' }, servers: products })
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
