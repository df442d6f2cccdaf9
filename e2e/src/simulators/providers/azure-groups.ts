import { ALNUM, chars, randomRng } from '../generate.js'
import { json, jsonBody } from '../http.js'
import type { Account, Route, RouteContext } from '../spec.js'
import { resourcesOf } from '../store.js'

/**
 * Azure Resource Manager's resource groups, the nearest harmless write Azure has (a virtual
 * machine needs a network, a disk and more first): PUT (201 new, 200 existing), GET, list and
 * DELETE of /subscriptions/{id}/resourcegroups/{name}, as @azure/arm-resources 8 calls them
 * (api/resourceGroups/operations.js: the statuses each call expects). A delete is a long-running
 * operation: 202 with a `Location` to poll, which answers 200 once done; the simulator deletes at
 * once, so the first poll finds it done. ARM paths and group names are case-insensitive.
 */

export const armError = (
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
) => json(status, { error: { code, message } }, headers)

interface Group {
  name: string
  location: string
  tags: Record<string, string>
}

const groupsOf = (account: Account) => resourcesOf<Group>(account, 'azure:resource-groups')
const operationsOf = (account: Account) => resourcesOf<string>(account, 'azure:operations')

/** 1-90 letters, digits, `_`, `(`, `)`, `-`, `.` (any Unicode letter, in fact), not ending in `.`. */
const GROUP_NAME = /^[-\w.()\p{L}]{0,89}[-\w()\p{L}]$/u

const render = (subscription: string, g: Group) => ({
  id: `/subscriptions/${subscription}/resourceGroups/${g.name}`,
  name: g.name,
  type: 'Microsoft.Resources/resourceGroups',
  location: g.location,
  ...(Object.keys(g.tags).length ? { tags: g.tags } : {}),
  properties: { provisioningState: 'Succeeded' },
})

const notFound = (name: string) =>
  armError(404, 'ResourceGroupNotFound', `Resource group '${name}' could not be found.`)

export function resourceGroupRoutes(subscription: string): Route[] {
  const guard = (ctx: RouteContext) => {
    if (!ctx.req.url.searchParams.get('api-version'))
      return armError(
        400,
        'MissingApiVersionParameter',
        'The api-version query parameter (?api-version=) is required for all requests.',
      )
    if (ctx.params.subscriptionId !== subscription)
      return armError(
        404,
        'SubscriptionNotFound',
        `The subscription '${ctx.params.subscriptionId}' could not be found.`,
      )
    return null
  }
  const find = (ctx: RouteContext) =>
    groupsOf(ctx.account).find((g) => g.name.toLowerCase() === ctx.params.name?.toLowerCase())

  function put(ctx: RouteContext) {
    const name = ctx.params.name ?? ''
    if (!GROUP_NAME.test(name))
      return armError(
        400,
        'InvalidResourceGroup',
        `The provided resource group name '${name}' has these invalid characters or length.`,
      )
    const body = jsonBody(ctx.req)
    if (!body) return armError(400, 'InvalidRequestContent', 'The request content was invalid.')
    if (typeof body.location !== 'string' || !body.location)
      return armError(
        400,
        'LocationRequired',
        'The location property is required for this definition.',
      )
    const tags = (body.tags && typeof body.tags === 'object' ? body.tags : {}) as Group['tags']
    const existing = find(ctx)
    if (existing && existing.location !== body.location)
      return armError(
        409,
        'InvalidResourceGroupLocation',
        `Invalid resource group location '${body.location}'. The Resource group already exists in location '${existing.location}'.`,
      )
    const group = existing ?? { name, location: body.location, tags }
    group.tags = tags
    if (!existing) groupsOf(ctx.account).push(group)
    return json(existing ? 200 : 201, render(subscription, group))
  }

  function remove(ctx: RouteContext) {
    const group = find(ctx)
    if (!group) return notFound(ctx.params.name ?? '')
    const groups = groupsOf(ctx.account)
    groups.splice(groups.indexOf(group), 1)
    const job = Buffer.from(
      JSON.stringify({
        jobId: `ResourceGroupDeletionJob-${chars(randomRng(), ALNUM, 12)}`,
        jobLocation: group.location,
      }),
    ).toString('base64url')
    operationsOf(ctx.account).push(job)
    const version = ctx.req.url.searchParams.get('api-version') ?? ''
    // Azure asks for 15 s between polls; 1 s keeps tests short and still exercises the wait.
    return json(202, undefined, {
      location: `${ctx.req.url.origin}/subscriptions/${subscription}/operationresults/${job}?api-version=${version}`,
      'retry-after': '1',
    })
  }

  const path = '/subscriptions/:subscriptionId/resourcegroups'
  const scoped = (action: string, handler: (ctx: RouteContext) => ReturnType<typeof json>) => ({
    scope: `Microsoft.Resources/subscriptions/resourceGroups/${action}`,
    write: action !== 'read',
    handle: (ctx: RouteContext) => guard(ctx) ?? handler(ctx),
  })
  return [
    {
      method: 'GET',
      path,
      ...scoped('read', (ctx) =>
        json(200, { value: groupsOf(ctx.account).map((g) => render(subscription, g)) }),
      ),
    },
    {
      method: 'GET',
      path: `${path}/:name`,
      ...scoped('read', (ctx) => {
        const group = find(ctx)
        return group ? json(200, render(subscription, group)) : notFound(ctx.params.name ?? '')
      }),
    },
    { method: 'PUT', path: `${path}/:name`, ...scoped('write', put) },
    { method: 'DELETE', path: `${path}/:name`, ...scoped('delete', remove) },
    {
      method: 'GET',
      path: '/subscriptions/:subscriptionId/operationresults/:job',
      handle: (ctx) =>
        guard(ctx) ??
        (operationsOf(ctx.account).includes(ctx.params.job ?? '')
          ? json(200)
          : armError(404, 'NotFound', 'The operation could not be found.')),
    },
  ]
}
