import { chars, digits, HEX, pastDate, pick, seededRng, uuid } from '../../generate.js'
import { json } from '../../http.js'
import type { Account, RouteContext, SimRequest, SimResponse } from '../../spec.js'
import type { SimServer } from '../../types.js'

/**
 * OVHcloud's three server product lines, shaped by the API schemas (eu.api.ovh.com/1.0/
 * dedicated/server.json, vps.json and cloud.json; copies in UrielCh/api-ovh-node
 * code/gen/models/ovh-api/*.ts): `dedicated.Server`, `vps.VPS` and `cloud.instance.Instance`.
 * A SimServer's `kind` picks the line (default dedicated); instances belong to `project`.
 */

export type Sub = 'eu' | 'ca'

export const kindOf = (s: SimServer) => s.kind ?? 'dedicated'
export const ofKind = (account: Account, kind: string) =>
  account.servers.filter((s) => kindOf(s) === kind)

/** An account's Public Cloud project when a test names none: 32 hex digits, like OVH's. */
export const projectOf = (account: Account, s: SimServer) =>
  s.project ?? chars(seededRng(`project:${account.identity.id}`), HEX, 32)

const iam = (sub: Sub, kind: string, s: SimServer) => ({
  displayName: s.name,
  id: uuid(seededRng(`iam:${s.providerServerId}`)),
  urn: `urn:v1:${sub}:resource:${kind}:${s.providerServerId}`,
})

export function dedicatedServer(sub: Sub, s: SimServer, account: Account) {
  const rng = seededRng(s.providerServerId)
  return {
    name: s.providerServerId,
    serverId: Number(digits(rng, 7)),
    ip: s.ipv4,
    datacenter: s.region,
    state: 'ok',
    powerState: s.status,
    reverse: s.providerServerId,
    os: pick(rng, ['debian12_64', 'ubuntu2404-server_64', 'rocky9_64']),
    commercialRange: pick(rng, ['advance-1', 'rise-2', 'scale-a1']),
    rack: `${s.region.slice(0, 1).toUpperCase()}${digits(rng, 3)}A${digits(rng, 2)}`,
    linkSpeed: 1000,
    monitoring: true,
    professionalUse: false,
    supportLevel: 'pro',
    noIntervention: false,
    iam: iam(sub, 'dedicatedServer', s),
    customer: account.identity.id,
  }
}

/** `vps.VPS`: the zone, no address (those are GET /vps/{serviceName}/ips). */
export function vps(sub: Sub, s: SimServer) {
  const rng = seededRng(s.providerServerId)
  const model = pick(rng, [
    { name: 'vps-value-1-2-40', vcore: 1, memory: 2048, disk: 40 },
    { name: 'vps-essential-2-4-80', vcore: 2, memory: 4096, disk: 80 },
  ])
  return {
    name: s.providerServerId,
    displayName: s.name,
    state: s.status,
    zone: s.region,
    vcore: model.vcore,
    memoryLimit: model.memory,
    model: {
      name: model.name,
      offer: 'VPS vps2020-starter-1-2-20',
      version: '2019v1',
      vcore: model.vcore,
      memory: model.memory,
      disk: model.disk,
      datacenter: [s.region],
      availableOptions: [],
      maximumAdditionnalIp: 16,
    },
    netbootMode: 'local',
    offerType: 'ssd',
    slaMonitoring: false,
    cluster: `pcc-${digits(rng, 3)}`,
    keymap: null,
    monitoringIpBlocks: [],
    iam: iam(sub, 'vps', s),
  }
}

/** `cloud.instance.Instance`: the list call already answers whole objects. */
export function instance(s: SimServer) {
  const rng = seededRng(s.providerServerId)
  return {
    id: s.providerServerId,
    name: s.name,
    ipAddresses: s.ipv4
      ? [
          {
            ip: s.ipv4,
            type: 'public',
            version: 4,
            networkId: chars(rng, HEX, 64),
            gatewayIp: `${s.ipv4.split('.').slice(0, 3).join('.')}.1`,
          },
        ]
      : [],
    flavorId: uuid(rng),
    imageId: uuid(rng),
    sshKeyId: null,
    created: pastDate(rng),
    region: s.region,
    monthlyBilling: null,
    status: s.status,
    planCode: 'b3-8.consumption',
    operationIds: [],
    currentMonthOutgoingTraffic: null,
  }
}

/**
 * A list route: ids, or with `X-Pagination-Mode: CachedObjectList-Pages` whole objects a page at
 * a time (`X-Pagination-Number`, 1-based; `X-Pagination-Size`) and the total in
 * `X-Pagination-Elements`, as OVHcloud's control panel asks for them (ovh/manager
 * packages/manager/core/api/src/iceberg.ts, fetchIcebergV6). Default and largest page size are
 * UNCONFIRMED; the control panel asks for up to 5000.
 */
function listed(req: SimRequest, servers: SimServer[], toObject: (s: SimServer) => object) {
  if (req.headers['x-pagination-mode'] !== 'CachedObjectList-Pages')
    return json(
      200,
      servers.map((s) => s.providerServerId),
    )
  const positive = (name: string, fallback: number) => {
    const n = Number.parseInt(req.headers[name] ?? '', 10)
    return Number.isFinite(n) && n > 0 ? n : fallback
  }
  const size = Math.min(positive('x-pagination-size', 5000), 5000)
  const start = (positive('x-pagination-number', 1) - 1) * size
  return json(200, servers.slice(start, start + size).map(toObject), {
    'X-Pagination-Elements': String(servers.length),
  })
}

export const notFound = (what: string, id: string): SimResponse =>
  json(404, { message: `The requested object (${what} = ${id}) does not exist` })

/** Routes of the dedicated servers and VPS lines, for one subsidiary (Public Cloud: ./cloud.ts). */
export function productRoutes(sub: Sub) {
  const find = (account: Account, kind: string, id: string | undefined) =>
    ofKind(account, kind).find((s) => s.providerServerId === id)
  return [
    {
      method: 'GET',
      path: '/1.0/dedicated/server',
      handle: ({ req, account }: RouteContext) =>
        listed(req, ofKind(account, 'dedicated'), (s) => dedicatedServer(sub, s, account)),
    },
    {
      method: 'GET',
      path: '/1.0/dedicated/server/:serviceName',
      handle: ({ account, params }: RouteContext) => {
        const s = find(account, 'dedicated', params.serviceName)
        return s
          ? json(200, dedicatedServer(sub, s, account))
          : notFound('serviceName', params.serviceName ?? '')
      },
    },
    {
      method: 'GET',
      path: '/1.0/vps',
      handle: ({ req, account }: RouteContext) =>
        listed(req, ofKind(account, 'vps'), (s) => vps(sub, s)),
    },
    {
      method: 'GET',
      path: '/1.0/vps/:serviceName',
      handle: ({ account, params }: RouteContext) => {
        const s = find(account, 'vps', params.serviceName)
        return s ? json(200, vps(sub, s)) : notFound('serviceName', params.serviceName ?? '')
      },
    },
    {
      method: 'GET',
      path: '/1.0/vps/:serviceName/ips',
      handle: ({ account, params }: RouteContext) => {
        const s = find(account, 'vps', params.serviceName)
        if (!s) return notFound('serviceName', params.serviceName ?? '')
        const v6 = `2001:db8::${digits(seededRng(s.providerServerId), 4)}`
        return json(200, s.ipv4 ? [s.ipv4, v6] : [v6])
      },
    },
  ]
}
