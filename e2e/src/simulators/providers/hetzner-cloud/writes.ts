import { ALNUM, chars, digits, ipv4, randomRng } from '../../generate.js'
import { json, jsonBody } from '../../http.js'
import type { Route, RouteContext } from '../../spec.js'
import { LOCATIONS, SERVER_TYPE, toServer } from './render.js'

/**
 * Creating and deleting a server (docs "Create a Server", "Delete a Server"; hcloud-go
 * schema/server.go ServerCreateRequest/ServerCreateResponse, ServerDeleteResponse): the create
 * answers 201 with the server still `initializing`, the `create_server` action, the `start_server`
 * next action and a root password (none when SSH keys are given); the delete answers 200 with the
 * `delete_server` action. The store changes at once, as if the actions had finished.
 */

const error = (status: number, code: string, message: string, details?: object) =>
  json(status, { error: { code, message, ...(details ? { details } : {}) } })

const invalid = (field: string, message: string) =>
  error(400, 'invalid_input', `invalid input in field '${field}'`, {
    fields: [{ name: field, messages: [message] }],
  })

/** RFC 1123 hostname, as the docs require of a server name. */
const HOSTNAME =
  /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i

function action(command: string, serverId: number, now: number) {
  return {
    id: Number(digits(randomRng(), 9)),
    command,
    status: 'running',
    progress: 0,
    started: new Date(now).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    finished: null,
    resources: [{ id: serverId, type: 'server' }],
    error: null,
  }
}

/** `server_type` and `location` are an ID or a name. */
const byIdOrName = <T extends { id: number; name: string }>(items: T[], value: unknown) =>
  items.find((i) => i.name === value || i.id === value || String(i.id) === value)

function createServer({ req, account, now }: RouteContext) {
  const body = jsonBody(req)
  if (!body) return error(400, 'json_error', 'request body is not valid JSON')
  const { name, image } = body
  if (typeof name !== 'string' || !name) return invalid('name', 'Missing data for required field.')
  if (!HOSTNAME.test(name)) return invalid('name', 'Name must be a valid hostname.')
  if (body.server_type === undefined)
    return invalid('server_type', 'Missing data for required field.')
  if (!byIdOrName([SERVER_TYPE], body.server_type))
    return invalid('server_type', 'server type not found')
  if ((typeof image !== 'string' || !image) && typeof image !== 'number')
    return invalid('image', 'Missing data for required field.')
  const where = body.location ?? 'fsn1'
  const location = byIdOrName(LOCATIONS, where)
  if (!location) return invalid('location', 'location not found')
  if (account.servers.some((s) => s.name === name))
    return error(409, 'uniqueness_error', 'server name is already used', {
      fields: [{ name: 'name' }],
    })
  const rng = randomRng()
  const id = digits(rng, 8)
  const start = body.start_after_create !== false
  const server = {
    providerServerId: id,
    name,
    status: start ? 'running' : 'off',
    region: location.name,
    ipv4: ipv4(rng),
  }
  account.servers.push(server)
  const sshKeys = Array.isArray(body.ssh_keys) && body.ssh_keys.length > 0
  return json(201, {
    server: { ...toServer(server), status: 'initializing' },
    action: action('create_server', Number(id), now),
    next_actions: start ? [action('start_server', Number(id), now)] : [],
    root_password: sshKeys ? null : chars(rng, ALNUM, 20),
  })
}

function deleteServer({ account, params, now }: RouteContext) {
  const at = account.servers.findIndex((s) => s.providerServerId === params.id)
  if (at < 0) return error(404, 'not_found', `server with ID '${params.id}' not found`)
  account.servers.splice(at, 1)
  return json(200, { action: action('delete_server', Number(params.id), now) })
}

export const writeRoutes: Route[] = [
  { method: 'POST', path: '/v1/servers', scope: 'read_write', write: true, handle: createServer },
  {
    method: 'DELETE',
    path: '/v1/servers/:id',
    scope: 'read_write',
    write: true,
    handle: deleteServer,
  },
]
