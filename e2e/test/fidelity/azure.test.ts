import t from 'tap'
import { SubscriptionClient } from '@azure/arm-resources-subscriptions'
import { ComputeManagementClient } from '@azure/arm-compute'
import { ResourceManagementClient } from '@azure/arm-resources'
import type { AccessToken, TokenCredential } from '@azure/core-auth'
import type { Pipeline } from '@azure/core-rest-pipeline'
import { startSimulator } from '../../src/simulators/index.js'
import { AZURE_SIM_SUBSCRIPTION } from '../../src/simulators/providers/azure.js'
import { clientFor } from '../helpers/broker-clients.js'
import { fleet, requestsTo, uuidFor } from '../helpers/fidelity.js'

/**
 * Microsoft Azure through Microsoft's ARM clients (their generated models lift a resource's
 * `properties` to the top level, so `vm.vmId` is the JSON's `properties.vmId`): `@azure/arm-resources-subscriptions` for the
 * account read (the subscriptions a token sees), `@azure/arm-compute` for the virtual machines
 * (`listAll`, which follows ARM's absolute `nextLink` by itself), and `@azure/arm-resources` for
 * the write, a resource group (createOrUpdate, and delete, which polls the `Location` it is given).
 *
 * The token credential hands the clients an access token the simulator issued. One deviation:
 * Azure's bearer policy refuses any URL that is not https, and the simulator speaks plain http on
 * loopback, so that one policy is swapped for one that sets the same Authorization header. Every
 * other policy (paging, api-version, error parsing) is the SDK's own.
 */

const credential = (token: string): TokenCredential => ({
  getToken: async (): Promise<AccessToken> => ({
    token,
    expiresOnTimestamp: Date.now() + 3_600_000,
  }),
})

/** Replaces the https-only bearer policy with one that sends the same header over http. */
function overHttp(pipeline: Pipeline, token: string) {
  pipeline.removePolicy({ name: 'bearerTokenAuthenticationPolicy' })
  pipeline.addPolicy({
    name: 'simulatorBearer',
    sendRequest: (request, next) => {
      request.headers.set('authorization', `Bearer ${token}`)
      return next(request)
    },
  })
}

t.test('azure through the ARM clients', async (t) => {
  const sim = await startSimulator('azure')
  t.teardown(() => sim.close())
  const servers = fleet(120, {
    id: (i) => uuidFor(i),
    status: 'running',
    region: 'westeurope',
  })
  const good = sim.issueCredential({ servers })
  const options = {
    endpoint: sim.url,
    allowInsecureConnection: true,
    retryOptions: { maxRetries: 0 },
  }

  const subscriptions = (token: string) => {
    const client = new SubscriptionClient(credential(token), options)
    overHttp(client.pipeline, token)
    return client
  }
  const computeClient = (token: string) => {
    const client = new ComputeManagementClient(credential(token), AZURE_SIM_SUBSCRIPTION, options)
    overHttp(client.pipeline, token)
    return client
  }

  t.test('the subscriptions the token sees', async (t) => {
    const seen = []
    for await (const sub of subscriptions(good.token as string).subscriptions.list()) seen.push(sub)
    t.equal(seen.length, 1)
    t.match(seen[0], {
      subscriptionId: AZURE_SIM_SUBSCRIPTION,
      displayName: String,
      state: 'Enabled',
      tenantId: /^[0-9a-f-]{36}$/,
    })
  })

  t.test('virtual machines over three pages by nextLink', async (t) => {
    sim.clearRequests()
    const vms = []
    for await (const vm of computeClient(good.token as string).virtualMachines.listAll({
      statusOnly: 'true',
    }))
      vms.push(vm)
    t.same(
      vms.map((vm) => vm.vmId),
      servers.map((s) => s.providerServerId),
    )
    t.match(vms[0], { name: 'fid-1', location: 'westeurope' })
    const power = vms[0]?.instanceView?.statuses?.find((s) => s.code?.startsWith('PowerState/'))
    t.equal(power?.code, 'PowerState/running')
    const path = `/subscriptions/${AZURE_SIM_SUBSCRIPTION}/providers/Microsoft.Compute/virtualMachines`
    const calls = requestsTo(sim, path)
    t.equal(calls.length, 3)
    t.match(calls[2], /[?&]\$skiptoken=/)
    t.match(calls[2], /[?&]api-version=/)
  })

  t.test('a bad token: 401 InvalidAuthenticationToken as a RestError', async (t) => {
    const bad = `${'e30'}.${Buffer.from('{"tid":"x","oid":"y"}').toString('base64url')}.sig`
    const err = await (async () => {
      for await (const _ of subscriptions(bad).subscriptions.list()) void _
    })().then(
      () => null,
      (e: unknown) => e,
    )
    t.match(err, { name: 'RestError', statusCode: 401, code: 'InvalidAuthenticationToken' })
  })

  t.test('the nearest write: a resource group created and deleted', async (t) => {
    const c = sim.issueCredential({ servers: servers.slice(0, 2) })
    const api = clientFor('azure', { baseUrl: sim.url, credentials: c })
    t.same(await api.servers(), ['fid-1', 'fid-2'])
    t.same(await api.list(), [])
    sim.clearRequests()
    t.equal(await api.create('cl-write-1'), 'cl-write-1')
    t.same(await api.list(), ['cl-write-1'])
    await api.remove('cl-write-1')
    t.same(await api.list(), [], 'gone after the delete')
    const writes = sim.requests.filter(
      (r) => r.method !== 'GET' || r.path.includes('/operationresults/'),
    )
    const group = `/subscriptions/${AZURE_SIM_SUBSCRIPTION}/resourcegroups/cl-write-1`
    t.match(
      writes.map((r) => [r.method, r.path, r.credential]),
      [
        ['PUT', new RegExp(`^${group}\\?api-version=`), c.token],
        ['DELETE', new RegExp(`^${group}\\?api-version=`), c.token],
        ['GET', /\/operationresults\/[\w-]+\?api-version=/, c.token],
      ],
      'the delete is polled at the Location it answered',
    )
    t.same(JSON.parse(writes[0]!.body), { location: 'westeurope' })
  })

  t.test('the answers as ResourceManagementClient reads them', async (t) => {
    const c = sim.issueCredential({ servers: [] })
    const arm = new ResourceManagementClient(
      credential(c.token as string),
      AZURE_SIM_SUBSCRIPTION,
      options,
    )
    overHttp(arm.pipeline, c.token as string)
    const made = await arm.resourceGroups.createOrUpdate('Apps_RG', {
      location: 'northeurope',
      tags: { team: 'ops' },
    })
    t.match(made, {
      id: `/subscriptions/${AZURE_SIM_SUBSCRIPTION}/resourceGroups/Apps_RG`,
      name: 'Apps_RG',
      type: 'Microsoft.Resources/resourceGroups',
      location: 'northeurope',
      tags: { team: 'ops' },
      properties: { provisioningState: 'Succeeded' },
    })
    t.match(
      await arm.resourceGroups.get('apps_rg'),
      { name: 'Apps_RG' },
      'names are case-insensitive',
    )
    await t.rejects(arm.resourceGroups.createOrUpdate('Apps_RG', { location: 'eastus' }), {
      name: 'RestError',
      statusCode: 409,
    })
    await t.rejects(arm.resourceGroups.createOrUpdate('bad/name', { location: 'eastus' }), {
      statusCode: 400,
    })
    await arm.resourceGroups.delete('Apps_RG')
    await t.rejects(arm.resourceGroups.get('Apps_RG'), {
      statusCode: 404,
      code: 'ResourceGroupNotFound',
    })
  })

  t.test('a Reader: reads, and its writes are AuthorizationFailed', async (t) => {
    const reader = sim.issueCredential({
      access: { compute: 'read' },
      servers: servers.slice(0, 1),
    })
    const api = clientFor('azure', { baseUrl: sim.url, credentials: reader })
    t.same(await api.servers(), ['fid-1'])
    t.same(await api.list(), [])
    await t.rejects(api.create('cl-nope'), {
      statusCode: 403,
      code: 'AuthorizationFailed',
      message: /resourceGroups\/write/,
    })
  })
})
