import { ipv4, randomRng, uuid } from '../../generate.js'
import { json, jsonBody } from '../../http.js'
import type { Route, RouteContext } from '../../spec.js'
import type { SimServer } from '../../types.js'
import { failure, toAddresses, toServer, ZONES } from './render.js'

/**
 * Creating, stopping and deleting a server as upcloud-go-api does it (upcloud/request/server.go:
 * CreateServerRequest → POST /server `{"server": {zone, title, hostname, plan,
 * storage_devices: {storage_device: […]}, …}}`; StopServerRequest → POST /server/{uuid}/stop
 * `{"stop_server": {stop_type, timeout}}`; DeleteServerRequest → DELETE /server/{uuid} and
 * DeleteServerAndStoragesRequest → DELETE /server/{uuid}/?storages=1), answered with a
 * ServerDetails (upcloud/server.go). A server is deleted only once stopped, as UpCloud requires.
 * The simulator skips the minutes of `maintenance` a real create takes and stops at once.
 */

function toDetails(s: SimServer) {
  return {
    server: {
      ...toServer(s),
      boot_order: 'disk',
      firewall: 'off',
      host: 7653311107,
      ip_addresses: { ip_address: toAddresses(s) },
      metadata: 'yes',
      nic_model: 'virtio',
      networking: { interfaces: { interface: [] } },
      progress: '0',
      remote_access_enabled: 'no',
      storage_devices: {
        storage_device: [
          {
            address: 'virtio:0',
            part_of_plan: 'yes',
            storage: uuid(randomRng()).replace(/^../, '01'),
            storage_size: 25,
            storage_tier: 'maxiops',
            storage_title: `${s.name} OS disk`,
            type: 'disk',
            boot_disk: '1',
          },
        ],
      },
      timezone: 'UTC',
      video_model: 'vga',
    },
  }
}

const findServer = ({ account, params }: RouteContext) =>
  account.servers.find((s) => s.providerServerId === params.uuid)

const notFound = (ctx: RouteContext) =>
  failure(ctx.req, 404, 'SERVER_NOT_FOUND', `The server ${ctx.params.uuid} does not exist.`)

function createServer(ctx: RouteContext) {
  const { req, account } = ctx
  const server = jsonBody(req)?.server as Record<string, unknown> | undefined
  // Error codes from the documented list; which one each omission gets is UNCONFIRMED.
  if (!server || typeof server !== 'object')
    return failure(req, 400, 'SERVER_INVALID', 'The request body must hold a server object.')
  const { zone, title, hostname } = server
  if (typeof zone !== 'string' || !zone)
    return failure(req, 400, 'ZONE_MISSING', 'The zone is missing.')
  if (!ZONES.includes(zone)) return failure(req, 400, 'ZONE_INVALID', 'The zone is invalid.')
  if (typeof title !== 'string' || !title)
    return failure(req, 400, 'TITLE_MISSING', 'The title is missing.')
  if (typeof hostname !== 'string' || !hostname)
    return failure(req, 400, 'HOSTNAME_MISSING', 'The hostname is missing.')
  const devices = (server.storage_devices as { storage_device?: unknown } | undefined)
    ?.storage_device
  if (!Array.isArray(devices) || devices.length === 0)
    return failure(req, 400, 'STORAGE_DEVICES_MISSING', 'The storage devices are missing.')
  const rng = randomRng()
  // UpCloud server UUIDs start with `00`.
  const s = {
    providerServerId: `00${uuid(rng).slice(2)}`,
    name: title,
    status: 'started',
    region: zone,
    ipv4: ipv4(rng),
  }
  account.servers.push(s)
  const details = toDetails(s)
  return json(202, {
    server: {
      ...details.server,
      hostname,
      plan: typeof server.plan === 'string' ? server.plan : '1xCPU-1GB',
      state: 'maintenance',
    },
  })
}

function stopServer(ctx: RouteContext) {
  const s = findServer(ctx)
  if (!s) return notFound(ctx)
  if (s.status !== 'started')
    return failure(ctx.req, 400, 'SERVER_STATE_ILLEGAL', `The server is in state ${s.status}.`)
  s.status = 'stopped'
  return json(202, toDetails(s))
}

function deleteServer(ctx: RouteContext) {
  const s = findServer(ctx)
  if (!s) return notFound(ctx)
  if (s.status !== 'stopped')
    return failure(
      ctx.req,
      400,
      'SERVER_STATE_ILLEGAL',
      `The server is in state ${s.status}; stop it first.`,
    )
  ctx.account.servers.splice(ctx.account.servers.indexOf(s), 1)
  return json(204)
}

const write = { scope: 'servers', write: true }

export const writeRoutes: Route[] = [
  {
    method: 'GET',
    path: '/1.3/server/:uuid',
    scope: 'servers',
    handle: (ctx) => {
      const s = findServer(ctx)
      return s ? json(200, toDetails(s)) : notFound(ctx)
    },
  },
  { method: 'POST', path: '/1.3/server', ...write, handle: createServer },
  { method: 'POST', path: '/1.3/server/:uuid/stop', ...write, handle: stopServer },
  { method: 'DELETE', path: '/1.3/server/:uuid', ...write, handle: deleteServer },
  // DeleteServerAndStoragesRequest's URL has a trailing slash before `?storages=1`.
  { method: 'DELETE', path: '/1.3/server/:uuid/', ...write, handle: deleteServer },
]
