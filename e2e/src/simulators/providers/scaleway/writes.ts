import { ipv4, randomRng, seededRng, uuid } from '../../generate.js'
import { json, jsonBody } from '../../http.js'
import type { Route, RouteContext } from '../../spec.js'
import { notFound, SCALEWAY_ZONES, toServer, zoneOf } from './render.js'

/**
 * Creating and deleting an Instance (sdk-instance v1 createServer / deleteServer, the API's
 * CreateServerRequest → `{server}`): a new server is `stopped` until powered on, as Scaleway
 * creates them, and only a stopped server may be deleted (204). Invalid arguments come back as the
 * documented `invalid_arguments` with a detail per argument.
 */

const invalidArgument = (argument: string, help: string) =>
  json(400, {
    message: 'invalid argument(s)',
    type: 'invalid_arguments',
    details: [{ argument_name: argument, reason: 'constraint', help_message: help }],
  })

/** e.g. DEV1-S, PLAY2-PICO, PRO2-XXS, GP1-XS, POP2-HC-2C-4G. */
const COMMERCIAL_TYPE = /^[A-Z0-9]+(-[A-Z0-9]+)+$/

function createServer(ctx: RouteContext) {
  const zone = ctx.params.zone ?? ''
  if (!SCALEWAY_ZONES.includes(zone)) return notFound('zone', zone)
  const body = jsonBody(ctx.req)
  if (!body) return json(400, { message: 'invalid JSON body', type: 'invalid_request_error' })
  const { name, commercial_type: type, image, project, organization } = body
  if (typeof type !== 'string' || !COMMERCIAL_TYPE.test(type))
    return invalidArgument('commercial_type', 'must be an Instance type such as DEV1-S')
  if ((typeof image !== 'string' || !image) && !body.volumes)
    return invalidArgument('image', 'an image or a root volume is required')
  if (project !== undefined && organization !== undefined)
    return invalidArgument('project', 'at most one of project and organization may be set')
  // Without either, the API key's default project is used (the one the IAM call names).
  const rng = randomRng()
  const server = {
    providerServerId: uuid(rng),
    name: typeof name === 'string' && name ? name : `srv-${uuid(rng).slice(0, 8)}`,
    status: 'stopped',
    region: zone,
    ipv4: body.dynamic_ip_required === false ? null : ipv4(rng),
  }
  ctx.account.servers.push(server)
  const projectId = typeof project === 'string' ? project : uuid(seededRng(ctx.account.identity.id))
  const rendered = toServer(server, ctx.account, projectId)
  return json(201, {
    server: { ...rendered, commercial_type: type, tags: Array.isArray(body.tags) ? body.tags : [] },
  })
}

function deleteServer(ctx: RouteContext) {
  const { zone = '', serverId = '' } = ctx.params
  if (!SCALEWAY_ZONES.includes(zone)) return notFound('zone', zone)
  const servers = ctx.account.servers
  const at = servers.findIndex((s) => s.providerServerId === serverId && zoneOf(s) === zone)
  if (at < 0) return notFound('instance_server', serverId)
  // UNCONFIRMED wording; that a running server must be stopped (or terminated) first is documented.
  if (servers[at]?.status !== 'stopped')
    return json(400, { message: 'server should be stopped', type: 'invalid_request_error' })
  servers.splice(at, 1)
  return json(204)
}

export const writeRoutes: Route[] = [
  {
    method: 'POST',
    path: '/instance/v1/zones/:zone/servers',
    scope: 'InstancesFullAccess',
    write: true,
    handle: createServer,
  },
  {
    method: 'DELETE',
    path: '/instance/v1/zones/:zone/servers/:serverId',
    scope: 'InstancesFullAccess',
    write: true,
    handle: deleteServer,
  },
]
