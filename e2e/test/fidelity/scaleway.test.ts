import t from 'tap'
import { createClient } from '@scaleway/sdk-client'
import { Iamv1alpha1 } from '@scaleway/sdk-iam'
import { Instancev1 } from '@scaleway/sdk-instance'
import { startSimulator } from '../../src/simulators/index.js'
import { clientFor } from '../helpers/broker-clients.js'
import { fleet, requestsTo, uuidFor } from '../helpers/fidelity.js'

/**
 * Scaleway through its official SDK (`@scaleway/sdk-client` with `@scaleway/sdk-instance` and
 * `@scaleway/sdk-iam`). The SDK reads `total_count` to know how many pages a list has (or, for
 * the legacy Instance API, `X-Total-Count`), and turns the documented error bodies into typed
 * errors (DeniedAuthenticationError, PermissionsDeniedError) by their `type`.
 *
 * sdk-instance 1.4 and sdk-iam 1.6 declare a peer of sdk-client ^1.3.3, so the client is 1.3.3.
 */

/** Every field of a Server the SDK's type requires, as the API's JSON names them. */
const SERVER_KEYS = [
  'id',
  'name',
  'organization',
  'project',
  'allowed_actions',
  'tags',
  'commercial_type',
  'dynamic_ip_required',
  'hostname',
  'protected',
  'public_ips',
  'mac_address',
  'state',
  'boot_type',
  'volumes',
  'maintenances',
  'state_detail',
  'arch',
  'private_nics',
  'zone',
  'filesystems',
  'end_of_service',
]

const ZONES = ['fr-par-1', 'fr-par-2', 'fr-par-3', 'nl-ams-1', 'nl-ams-2', 'nl-ams-3']

t.test('scaleway through the official SDK', async (t) => {
  const sim = await startSimulator('scaleway')
  t.teardown(() => sim.close())
  const paris = fleet(120, { id: (i) => uuidFor(i), status: 'running', region: 'fr-par-1' })
  const amsterdam = fleet(3, {
    id: (i) => uuidFor(i, '0a0a0000'),
    status: 'stopped',
    region: 'nl-ams-1',
  })
  const good = sim.issueCredential({
    servers: [...paris, ...amsterdam],
    identity: { id: '6a8e0a5b-9c3e-4f2a-8d1b-2f3e4a5b6c7d' },
  })
  const client = (c: Record<string, string>) =>
    createClient({
      accessKey: c.accessKey as string,
      secretKey: c.secretKey as string,
      apiURL: sim.url,
      defaultZone: 'fr-par-1',
      defaultRegion: 'fr-par',
    })

  t.test('the API key behind the secret, by its access key (IAM)', async (t) => {
    const key = await new Iamv1alpha1.API(client(good)).getAPIKey({
      accessKey: good.accessKey as string,
    })
    t.equal(key.accessKey, good.accessKey)
    t.equal(key.userId, '6a8e0a5b-9c3e-4f2a-8d1b-2f3e4a5b6c7d')
    t.ok(key.createdAt instanceof Date)
    t.notOk(key.secretKey, 'the secret is never sent back')
  })

  t.test('servers over three pages in a zone, by the SDK’s total_count paging', async (t) => {
    sim.clearRequests()
    const api = new Instancev1.API(client(good))
    const inParis = await api.listServers({ zone: 'fr-par-1', perPage: 50 }).all()
    t.same(
      inParis.map((s) => s.id),
      paris.map((s) => s.providerServerId),
    )
    t.same(
      requestsTo(sim, '/instance/v1/zones/fr-par-1/servers').sort(),
      [
        '/instance/v1/zones/fr-par-1/servers?per_page=50',
        '/instance/v1/zones/fr-par-1/servers?page=2&per_page=50',
        '/instance/v1/zones/fr-par-1/servers?page=3&per_page=50',
      ].sort(),
    )
    const raw = (await (
      await fetch(`${sim.url}/instance/v1/zones/fr-par-1/servers?per_page=1`, {
        headers: { 'x-auth-token': good.secretKey as string },
      })
    ).json()) as { servers: Record<string, unknown>[]; total_count: number }
    t.equal(raw.total_count, 120)
    const missing = SERVER_KEYS.filter((k) => !(k in (raw.servers[0] ?? {})))
    t.same(missing, [], 'every field the SDK’s Server type requires')
    const first = inParis[0]
    t.match(first, { name: 'fid-1', state: 'running', zone: 'fr-par-1' })
    t.equal(first?.publicIp?.address, '198.51.100.1')
  })

  t.test('every zone answers; the servers are where they were made', async (t) => {
    const api = new Instancev1.API(client(good))
    const perZone = await Promise.all(ZONES.map((zone) => api.listServers({ zone }).all()))
    t.same(
      perZone.map((list) => list.length),
      [120, 0, 0, 3, 0, 0],
    )
    t.same(
      perZone[3]?.map((s) => s.id),
      amsterdam.map((s) => s.providerServerId),
    )
  })

  t.test('a bad secret: DeniedAuthenticationError, reason not_found', async (t) => {
    const bad = { accessKey: good.accessKey as string, secretKey: uuidFor(999, 'deadbeef') }
    const err = await new Instancev1.API(client(bad)).listServers({ zone: 'fr-par-1' }).then(
      () => null,
      (e: unknown) => e,
    )
    t.match(err, {
      name: 'DeniedAuthenticationError',
      status: 401,
      method: 'api_key',
      reason: 'not_found',
    })
  })

  t.test('a key without InstancesReadOnly: PermissionsDeniedError', async (t) => {
    const weak = sim.issueCredential({ scopes: 'insufficient' })
    const err = await new Instancev1.API(client(weak)).listServers({ zone: 'fr-par-1' }).then(
      () => null,
      (e: unknown) => e,
    )
    t.match(err, { name: 'PermissionsDeniedError', status: 403 })
  })

  t.test('a server created and deleted through the SDK; the list follows', async (t) => {
    const c = sim.issueCredential({ servers: paris.slice(0, 2) })
    const api = clientFor('scaleway', { baseUrl: sim.url, credentials: c })
    sim.clearRequests()
    const id = await api.create('cl-write-1')
    t.ok((await api.list()).includes('cl-write-1'), 'listed after the create')
    await api.remove(id)
    t.same(await api.list(), ['fid-1', 'fid-2'], 'gone after the delete')
    const writes = sim.requests.filter((r) => r.method !== 'GET')
    const path = '/instance/v1/zones/fr-par-1/servers'
    t.same(
      writes.map((r) => [r.method, r.path, r.credential]),
      [
        ['POST', path, c.secretKey],
        ['DELETE', `${path}/${id}`, c.secretKey],
      ],
    )
    t.match(JSON.parse(writes[0]!.body), { name: 'cl-write-1', commercial_type: 'DEV1-S' })
  })

  t.test('the create answer as the SDK reads it; a running server is not deleted', async (t) => {
    const c = sim.issueCredential({ servers: paris.slice(0, 1) })
    const api = new Instancev1.API(client(c))
    const { server } = await api.createServer({
      zone: 'nl-ams-1',
      name: 'cl-write-2',
      commercialType: 'PLAY2-PICO',
      image: 'ubuntu_noble',
      protected: false,
    })
    t.match(server, { name: 'cl-write-2', state: 'stopped', zone: 'nl-ams-1' })
    t.equal(server?.commercialType, 'PLAY2-PICO')
    t.match(server?.project, /^[0-9a-f-]{36}$/)
    await api.deleteServer({ zone: 'nl-ams-1', serverId: server!.id })
    await t.rejects(
      api.createServer({ name: 'x', commercialType: 'nope', image: 'y', protected: false }),
      { name: 'InvalidArgumentsError', status: 400 },
    )
    await t.rejects(api.deleteServer({ zone: 'fr-par-1', serverId: paris[0]!.providerServerId }), {
      status: 400,
    })
  })

  t.test('a key without InstancesFullAccess reads, and cannot write', async (t) => {
    const readOnly = sim.issueCredential({
      access: { compute: 'read' },
      servers: paris.slice(0, 1),
    })
    const api = clientFor('scaleway', { baseUrl: sim.url, credentials: readOnly })
    t.same(await api.list(), ['fid-1'])
    await t.rejects(api.create('cl-nope'), { name: 'PermissionsDeniedError', status: 403 })
  })

  t.test('with a Cloudlink token: a dummy key, and the token in X-Cloudlink-Token', async (t) => {
    sim.clearRequests()
    const api = clientFor('scaleway', { baseUrl: sim.url, token: 'clk_fidelity' })
    // The simulator is no broker: it refuses the dummy key, after logging what was sent.
    await t.rejects(api.list(), { name: 'DeniedAuthenticationError' })
    t.match(sim.requests[0]?.headers, {
      'x-auth-token': '00000000-0000-4000-8000-000000000000',
      'x-cloudlink-token': 'clk_fidelity',
    })
  })
})
