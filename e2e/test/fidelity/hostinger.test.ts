import t from 'tap'
import { Configuration, VPSDataCentersApi, VPSVirtualMachineApi } from 'hostinger-api-sdk'
import type { AxiosError } from 'axios'
import { startSimulator } from '../../src/simulators/index.js'
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
})
