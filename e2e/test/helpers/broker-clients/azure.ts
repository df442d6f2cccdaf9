import { ComputeManagementClient } from '@azure/arm-compute'
import { ResourceManagementClient } from '@azure/arm-resources'
import { SubscriptionClient } from '@azure/arm-resources-subscriptions'
import type { AccessToken, TokenCredential } from '@azure/core-auth'
import { noClose, secretOf, type ClientTarget, type ServerClient } from './types.js'

/** @azure/core-rest-pipeline's Pipeline (not a dependency of its own here). */
type Pipeline = SubscriptionClient['pipeline']

/** Hands the ARM clients the token as it is (an Entra access token, or a Cloudlink token). */
const credential = (token: string): TokenCredential => ({
  getToken: async (): Promise<AccessToken> => ({
    token,
    expiresOnTimestamp: Date.now() + 3_600_000,
  }),
})

/**
 * Azure's bearer policy refuses any URL that is not https; the simulator and a local broker speak
 * http, so that one policy is swapped for one that sets the same header. The rest is the SDK's.
 */
function overHttp(pipeline: Pipeline, token: string) {
  pipeline.removePolicy({ name: 'bearerTokenAuthenticationPolicy' })
  pipeline.addPolicy({
    name: 'cloudlinkBearer',
    sendRequest: (request, next) => {
      request.headers.set('authorization', `Bearer ${token}`)
      return next(request)
    },
  })
}

/**
 * Azure through Microsoft's ARM clients: the subscription is the first the token sees
 * (@azure/arm-resources-subscriptions), `servers()` its virtual machines (@azure/arm-compute),
 * and the write a resource group in westeurope (@azure/arm-resources: createOrUpdate, and delete,
 * a long-running operation the SDK polls to its end).
 */
export function client(target: ClientTarget): ServerClient {
  const token = secretOf(target, 'token')
  const options = {
    endpoint: target.baseUrl,
    allowInsecureConnection: true,
    retryOptions: { maxRetries: 0 },
  }
  let subscription: Promise<string> | undefined
  const subscriptionId = () =>
    (subscription ??= (async () => {
      const subscriptions = new SubscriptionClient(credential(token), options)
      overHttp(subscriptions.pipeline, token)
      for await (const sub of subscriptions.subscriptions.list())
        if (sub.subscriptionId) return sub.subscriptionId
      throw new Error('the token sees no subscription')
    })())
  const resources = async () => {
    const arm = new ResourceManagementClient(credential(token), await subscriptionId(), options)
    overHttp(arm.pipeline, token)
    return arm.resourceGroups
  }
  return {
    async servers() {
      const compute = new ComputeManagementClient(
        credential(token),
        await subscriptionId(),
        options,
      )
      overHttp(compute.pipeline, token)
      const names: string[] = []
      for await (const vm of compute.virtualMachines.listAll()) names.push(vm.name ?? '')
      return names
    },
    async list() {
      const names: string[] = []
      for await (const group of (await resources()).list()) names.push(group.name ?? '')
      return names
    },
    async create(name) {
      const group = await (await resources()).createOrUpdate(name, { location: 'westeurope' })
      return group.name ?? name
    },
    async remove(name) {
      await (await resources()).delete(name)
    },
    close: noClose,
  }
}
