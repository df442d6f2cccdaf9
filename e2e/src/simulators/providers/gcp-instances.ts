import { digits, ipv4, randomRng } from '../generate.js'
import { json, jsonBody } from '../http.js'
import type { Account, Route, RouteContext } from '../spec.js'
import { resourcesOf } from '../store.js'
import type { SimServer } from '../types.js'
import { GCP_SIM_PROJECT, googleError, toInstance, ZONES } from './gcp-compute.js'

/**
 * Compute Engine's instances.insert and instances.delete, and the zone operations they start
 * (https://cloud.google.com/compute/docs/reference/rest/v1/instances/insert, …/delete,
 * zoneOperations get and wait), as @googleapis/compute calls them. Both answer an Operation
 * `RUNNING`; the simulator finishes it at once, so get and wait find it `DONE`. Instances are
 * named in URLs; the Operation names the instance's numeric id as `targetId`.
 */

const BASE = `https://www.googleapis.com/compute/v1/projects/${GCP_SIM_PROJECT.projectId}`
const NAME = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/

interface Operation {
  id: string
  name: string
  zone: string
  operationType: string
  targetLink: string
  targetId: string
  user: string
  insertTime: string
}

const operationsOf = (account: Account) => resourcesOf<Operation>(account, 'gcp:operations')

const computeError = (status: number, grpc: string, reason: string, message: string) =>
  googleError(status, grpc, message, { errors: [{ message, domain: 'global', reason }] })

const render = (op: Operation, done: boolean) => ({
  kind: 'compute#operation',
  ...op,
  zone: `${BASE}/zones/${op.zone}`,
  status: done ? 'DONE' : 'RUNNING',
  progress: done ? 100 : 0,
  startTime: op.insertTime,
  ...(done ? { endTime: op.insertTime } : {}),
  selfLink: `${BASE}/zones/${op.zone}/operations/${op.name}`,
})

function start(ctx: RouteContext, type: string, s: SimServer) {
  const rng = randomRng()
  const at = new Date(ctx.now).toISOString().replace('Z', '-00:00')
  const op: Operation = {
    id: digits(rng, 19),
    name: `operation-${ctx.now}-${digits(rng, 13)}`,
    zone: s.region,
    operationType: type,
    targetLink: `${BASE}/zones/${s.region}/instances/${s.name}`,
    targetId: s.providerServerId,
    user: ctx.account.identity.email,
    insertTime: at,
  }
  operationsOf(ctx.account).push(op)
  return json(200, render(op, false))
}

/** The project and zone in the path, or Compute Engine's answer to either being wrong. */
function place(ctx: RouteContext) {
  if (ctx.params.project !== GCP_SIM_PROJECT.projectId)
    return computeError(
      404,
      'NOT_FOUND',
      'notFound',
      `The resource 'projects/${ctx.params.project}' was not found`,
    )
  if (!ZONES.includes(ctx.params.zone ?? ''))
    return computeError(
      400,
      'INVALID_ARGUMENT',
      'invalid',
      `Invalid value for field 'zone': '${ctx.params.zone}'. Unknown zone.`,
    )
  return null
}

const inZone = (ctx: RouteContext) =>
  ctx.account.servers.find((s) => s.region === ctx.params.zone && s.name === ctx.params.instance)

const missing = (ctx: RouteContext) =>
  computeError(
    404,
    'NOT_FOUND',
    'notFound',
    `The resource 'projects/${ctx.params.project}/zones/${ctx.params.zone}/instances/${ctx.params.instance}' was not found`,
  )

function insert(ctx: RouteContext) {
  const body = jsonBody(ctx.req)
  if (!body) return computeError(400, 'INVALID_ARGUMENT', 'parseError', 'Parse Error')
  const { name, machineType } = body
  if (typeof name !== 'string' || !NAME.test(name))
    return computeError(
      400,
      'INVALID_ARGUMENT',
      'invalid',
      `Invalid value for field 'resource.name': '${String(name ?? '')}'. Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'`,
    )
  if (typeof machineType !== 'string' || !machineType)
    return computeError(
      400,
      'INVALID_ARGUMENT',
      'required',
      "Required field 'resource.machineType' not specified",
    )
  if (!Array.isArray(body.disks) || body.disks.length === 0)
    return computeError(
      400,
      'INVALID_ARGUMENT',
      'required',
      "Required field 'resource.disks' not specified",
    )
  const zone = ctx.params.zone as string
  if (ctx.account.servers.some((s) => s.region === zone && s.name === name))
    return computeError(
      409,
      'ALREADY_EXISTS',
      'alreadyExists',
      `The resource 'projects/${ctx.params.project}/zones/${zone}/instances/${name}' already exists`,
    )
  const rng = randomRng()
  const s = {
    providerServerId: digits(rng, 19),
    name,
    status: 'RUNNING',
    region: zone,
    ipv4: ipv4(rng),
  }
  ctx.account.servers.push(s)
  return start(ctx, 'insert', s)
}

function remove(ctx: RouteContext) {
  const s = inZone(ctx)
  if (!s) return missing(ctx)
  ctx.account.servers.splice(ctx.account.servers.indexOf(s), 1)
  return start(ctx, 'delete', s)
}

function operation(ctx: RouteContext) {
  const op = operationsOf(ctx.account).find(
    (o) => o.name === ctx.params.operation && o.zone === ctx.params.zone,
  )
  if (!op)
    return computeError(
      404,
      'NOT_FOUND',
      'notFound',
      `The resource 'projects/${ctx.params.project}/zones/${ctx.params.zone}/operations/${ctx.params.operation}' was not found`,
    )
  return json(200, render(op, true))
}

const zoned = '/compute/v1/projects/:project/zones/:zone'
const guarded = (handler: (ctx: RouteContext) => ReturnType<typeof json>) => (ctx: RouteContext) =>
  place(ctx) ?? handler(ctx)
const read = { scope: 'compute.readonly' }
const write = { scope: 'compute', write: true }

export const instanceRoutes: Route[] = [
  {
    method: 'GET',
    path: `${zoned}/instances`,
    ...read,
    handle: guarded((ctx) =>
      json(200, {
        kind: 'compute#instanceList',
        id: `projects/${GCP_SIM_PROJECT.projectId}/zones/${ctx.params.zone}/instances`,
        items: ctx.account.servers.filter((s) => s.region === ctx.params.zone).map(toInstance),
        selfLink: `${BASE}/zones/${ctx.params.zone}/instances`,
      }),
    ),
  },
  {
    method: 'GET',
    path: `${zoned}/instances/:instance`,
    ...read,
    handle: guarded((ctx) => {
      const s = inZone(ctx)
      return s ? json(200, toInstance(s)) : missing(ctx)
    }),
  },
  { method: 'POST', path: `${zoned}/instances`, ...write, handle: guarded(insert) },
  { method: 'DELETE', path: `${zoned}/instances/:instance`, ...write, handle: guarded(remove) },
  { method: 'GET', path: `${zoned}/operations/:operation`, ...read, handle: guarded(operation) },
  {
    method: 'POST',
    path: `${zoned}/operations/:operation/wait`,
    ...read,
    handle: guarded(operation),
  },
]
