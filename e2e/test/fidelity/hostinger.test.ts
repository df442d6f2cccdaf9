import t from 'tap'
import { Configuration, VPSDataCentersApi, VPSVirtualMachineApi } from 'hostinger-api-sdk'
import type { AxiosError } from 'axios'
import { startSimulator } from '../../src/simulators/index.js'
import { clientFor } from '../helpers/broker-clients.js'
import { fleet, missingKeys, requestsTo } from '../helpers/fidelity.js'

/**
 * Hostinger through `hostinger-api-sdk`, Hostinger's official TypeScript SDK (generated from their
 * OpenAPI spec). Two things the brief asks for do not exist in Hostinger's API, per that SDK:
 * - no account or identity call (the SDK has no profile/account API; a token is proven by a read);
 * - no pagination of virtual machines: getVirtualMachinesV1 takes no page parameter and returns a
 *   plain array (only other lists, such as VM actions, take `page`). So the "three pages" check is
 *   that a list far larger than any page size comes back whole, in one answer.
 */

/** Required properties of the SDK's VPSV1VirtualMachineVirtualMachineResource. */
const VM_KEYS = [
  'id',
  'firewall_group_id',
  'subscription_id',
  'data_center_id',
  'plan',
  'hostname',
  'state',
  'actions_lock',
  'cpus',
  'memory',
  'disk',
  'bandwidth',
  'ns1',
  'ns2',
  'ipv4',
  'ipv6',
  'template',
  'created_at',
]
const STATES = [
  'running',
  'starting',
  'stopping',
  'stopped',
  'creating',
  'initial',
  'error',
  'suspending',
  'unsuspending',
  'suspended',
  'destroying',
  'destroyed',
  'recreating',
  'restoring',
  'recovery',
  'stopping_recovery',
]

t.test('hostinger through hostinger-api-sdk', async (t) => {
  const sim = await startSimulator('hostinger')
  t.teardown(() => sim.close())
  const servers = fleet(150, { id: (i) => String(700_000 + i), status: 'running', region: '9' })
  const good = sim.issueCredential({ servers })
  const config = (accessToken: string) => new Configuration({ accessToken, basePath: sim.url })

  t.test('every virtual machine in one answer, with the SDK’s fields', async (t) => {
    sim.clearRequests()
    const { data, status } = await new VPSVirtualMachineApi(
      config(good.token as string),
    ).getVirtualMachinesV1()
    t.equal(status, 200)
    t.ok(Array.isArray(data))
    t.same(
      data.map((vm) => String(vm.id)),
      servers.map((s) => s.providerServerId),
    )
    t.same(missingKeys(data[0], VM_KEYS), [])
    t.ok(STATES.includes(data[0]?.state as string), 'state is one of the documented values')
    t.match(data[0], { hostname: /^fid-1\./, data_center_id: 9 })
    t.equal(data[0]?.ipv4[0]?.address, '198.51.100.1')
    t.same(requestsTo(sim, '/api/vps/v1/virtual-machines'), ['/api/vps/v1/virtual-machines'])
  })

  t.test('data centers name the numeric data_center_id', async (t) => {
    const { data } = await new VPSDataCentersApi(config(good.token as string)).getDataCenterListV1()
    t.match(
      data.find((dc) => dc.id === 9),
      { id: 9, name: String, location: String, city: String },
    )
  })

  t.test('a bad token: 401 with the documented { message, correlation_id }', async (t) => {
    const err = (await new VPSVirtualMachineApi(config('x'.repeat(48))).getVirtualMachinesV1().then(
      () => null,
      (e: unknown) => e,
    )) as AxiosError | null
    t.equal(err?.response?.status, 401)
    t.match(err?.response?.data, { message: 'Unauthenticated', correlation_id: String })
  })

  t.test('the nearest write: a hostname set and reset through the SDK', async (t) => {
    const c = sim.issueCredential({ servers: servers.slice(0, 2) })
    const api = clientFor('hostinger', { baseUrl: sim.url, credentials: c })
    sim.clearRequests()
    const id = await api.create('cl-write-1')
    t.equal(id, '700000', 'the first virtual machine')
    t.same(await api.list(), ['cl-write-1', 'fid-2'], 'renamed')
    await api.remove(id)
    t.same(await api.list(), ['srv700000', 'fid-2'], 'back to the default hostname')
    const writes = sim.requests.filter((r) => r.method !== 'GET')
    const path = '/api/vps/v1/virtual-machines/700000/hostname'
    t.same(
      writes.map((r) => [r.method, r.path, r.credential]),
      [
        ['PUT', path, c.token],
        ['DELETE', path, c.token],
      ],
    )
    t.same(JSON.parse(writes[0]!.body), { hostname: 'cl-write-1.cloudlink.test' })
  })

  t.test('the answers: an Action; a bad hostname 422; an unknown VM 404', async (t) => {
    const c = sim.issueCredential({ servers: servers.slice(0, 1) })
    const vms = new VPSVirtualMachineApi(config(c.token as string))
    const { data, status } = await vms.setHostnameV1(700000, { hostname: 'web.example.org' })
    t.equal(status, 200)
    t.match(data, { id: Number, name: String, state: 'success', created_at: String })
    const listed = await vms.getVirtualMachinesV1()
    t.equal(listed.data[0]?.hostname, 'web.example.org')
    const failure = (call: Promise<unknown>) =>
      call.then(
        () => null,
        (e: AxiosError) => [e.response?.status, e.response?.data],
      )
    t.match(await failure(vms.setHostnameV1(700000, { hostname: 'not a host' })), [
      422,
      { message: String, errors: { hostname: [String] }, correlation_id: String },
    ])
    t.match(await failure(vms.resetHostnameV1(1)), [404, { message: String }])
  })
})
