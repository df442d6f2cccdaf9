import { bearerAuth } from '../auth.js'
import {
  chars,
  ipv4,
  pastDate,
  pick,
  randomRng,
  seededRng,
  serverName,
  UPPER_ALNUM,
  uuid,
} from '../generate.js'
import { json, jsonBody } from '../http.js'
import type { ProviderSpec, RouteContext } from '../spec.js'
import type { SimServer } from '../types.js'

/** Vultr API v2 (https://www.vultr.com/api/): Bearer API key, cursor pagination, 30 req/s per IP. */

const error = (status: number, message: string) => json(status, { error: message, status })

/** Vultr has two fields: `status` (lifecycle) and `power_status`; SimServer.status holds either. */
const LIFECYCLE = ['pending', 'suspended', 'resizing']

function toInstance(s: SimServer) {
  const rng = seededRng(s.providerServerId)
  const lifecycle = LIFECYCLE.includes(s.status)
  return {
    id: s.providerServerId,
    os: 'Ubuntu 24.04 LTS x64',
    ram: 2048,
    disk: 55,
    main_ip: s.ipv4 ?? '0.0.0.0',
    vcpu_count: 1,
    region: s.region,
    plan: 'vc2-1c-2gb',
    date_created: pastDate(rng).replace('Z', '+00:00'),
    status: lifecycle ? s.status : 'active',
    allowed_bandwidth: 2,
    netmask_v4: '255.255.254.0',
    gateway_v4: '203.0.113.1',
    power_status: lifecycle ? 'stopped' : s.status,
    server_status: lifecycle ? 'none' : 'ok',
    v6_network: '',
    v6_main_ip: '',
    v6_network_size: 0,
    label: s.name,
    internal_ip: '',
    hostname: s.name,
    tag: '',
    tags: [],
    os_id: 2284,
    app_id: 0,
    image_id: '',
    firewall_group_id: '',
    features: [],
  }
}

// Cursors are opaque to clients; ours encode the offset.
const cursorFor = (offset: number) => Buffer.from(`next__${offset}`).toString('base64')
const offsetOf = (cursor: string | null) =>
  Number(/^next__(\d+)$/.exec(Buffer.from(cursor ?? '', 'base64').toString())?.[1] ?? 0)

/** Bare metal is its own product line with its own endpoint, listed like instances. */
const BARE_METAL = 'bare-metal'

function toBareMetal(s: SimServer) {
  const rng = seededRng(s.providerServerId)
  return {
    id: s.providerServerId,
    os: 'Ubuntu 24.04 LTS x64',
    ram: '32768 MB',
    disk: '2x 480GB SSD',
    main_ip: s.ipv4 ?? '',
    cpu_count: 6,
    region: s.region,
    default_password: '',
    date_created: pastDate(rng).replace('Z', '+00:00'),
    // Bare metal has no power_status: `status` alone says active, pending or suspended.
    status: s.status,
    netmask_v4: '255.255.254.0',
    gateway_v4: '203.0.113.1',
    plan: 'vbm-6c-32gb',
    v6_network: '',
    v6_main_ip: '',
    v6_network_size: 0,
    mac_address: 2199023255552 + rng.int(1_000_000),
    label: s.name,
    tag: '',
    tags: [],
    os_id: 2284,
    app_id: 0,
    image_id: '',
    snapshot_id: '',
    features: [],
    user_scheme: 'root',
  }
}

/** Every Vultr list: `per_page` up to 500 and an opaque cursor in `meta.links`. */
function cursorList<T>(ctx: RouteContext, key: string, all: T[], render: (item: T) => unknown) {
  const query = ctx.req.url.searchParams
  const perPage = Math.min(Math.max(Number(query.get('per_page')) || 100, 1), 500)
  const offset = offsetOf(query.get('cursor'))
  const next = offset + perPage < all.length ? cursorFor(offset + perPage) : ''
  const prev = offset > 0 ? cursorFor(Math.max(0, offset - perPage)) : ''
  return json(200, {
    [key]: all.slice(offset, offset + perPage).map(render),
    meta: { total: all.length, links: { next, prev } },
  })
}

const instances = (ctx: RouteContext) =>
  cursorList(
    ctx,
    'instances',
    ctx.account.servers.filter((s) => s.kind !== BARE_METAL),
    toInstance,
  )

const bareMetals = (ctx: RouteContext) =>
  cursorList(
    ctx,
    'bare_metals',
    ctx.account.servers.filter((s) => s.kind === BARE_METAL),
    toBareMetal,
  )

const REGIONS = ['ewr', 'ord', 'dfw', 'sea', 'lax', 'fra', 'ams', 'lhr', 'cdg', 'sgp', 'nrt']
const SOURCES = ['os_id', 'iso_id', 'snapshot_id', 'app_id', 'image_id']

/**
 * POST /v2/instances (govultr instance.go Create, InstanceCreateReq → `{instance}`): 202 with the
 * instance `pending`, no address yet and its `default_password`, which only this answer carries.
 */
function createInstance({ req, account }: RouteContext) {
  const body = jsonBody(req)
  if (!body) return error(400, 'Invalid JSON body.')
  if (typeof body.region !== 'string' || !REGIONS.includes(body.region))
    return error(400, 'Invalid region chosen.')
  if (typeof body.plan !== 'string' || !/^v[a-z0-9]+-/.test(body.plan))
    return error(400, 'Invalid plan chosen.')
  if (!SOURCES.some((field) => body[field] !== undefined && body[field] !== ''))
    return error(400, 'An os_id, iso_id, snapshot_id, app_id or image_id is required.')
  const rng = randomRng()
  const label = typeof body.label === 'string' ? body.label : ''
  const server = {
    providerServerId: uuid(rng),
    name: label,
    status: 'running',
    region: body.region,
    ipv4: ipv4(rng),
  }
  account.servers.push(server)
  const instance = toInstance({ ...server, status: 'pending', ipv4: null })
  return json(202, {
    instance: {
      ...instance,
      plan: body.plan,
      hostname: typeof body.hostname === 'string' ? body.hostname : label,
      default_password: chars(rng, `${UPPER_ALNUM}abcdefghijkmnpqrstuvwxyz`, 16),
    },
  })
}

/** DELETE /v2/instances/{id}: 204, no body. */
function deleteInstance({ account, params }: RouteContext) {
  const at = account.servers.findIndex(
    (s) => s.providerServerId === params.id && s.kind !== BARE_METAL,
  )
  if (at < 0) return error(404, 'Invalid instance-id.')
  account.servers.splice(at, 1)
  return json(204)
}

export const vultr: ProviderSpec = {
  id: 'vultr',
  fields: ['apiKey'],
  generateCredential: (rng) => ({ apiKey: chars(rng, UPPER_ALNUM, 36) }),
  authenticate: bearerAuth,
  routes: [
    {
      method: 'GET',
      path: '/v2/account',
      scope: 'billing',
      handle: ({ account }) =>
        json(200, {
          account: {
            name: account.identity.name,
            email: account.identity.email,
            acls: ['manage_users', 'subscriptions', 'billing'],
            balance: -12.5,
            pending_charges: 3.21,
            last_payment_date: '2025-01-01T00:00:00+00:00',
            last_payment_amount: -20,
          },
        }),
    },
    { method: 'GET', path: '/v2/instances', scope: 'subscriptions', handle: instances },
    { method: 'GET', path: '/v2/bare-metals', scope: 'subscriptions', handle: bareMetals },
    // The ACLs the writes need are UNCONFIRMED (Vultr documents the ACL names, not per call).
    {
      method: 'POST',
      path: '/v2/instances',
      scope: 'provisioning',
      write: true,
      handle: createInstance,
    },
    {
      method: 'DELETE',
      path: '/v2/instances/:id',
      scope: 'subscriptions',
      write: true,
      handle: deleteInstance,
    },
  ],
  errors: {
    unauthorized: () => error(401, 'Invalid API token.'),
    // Only the status is documented; the texts below are UNCONFIRMED.
    forbidden: () => error(403, 'Unauthorized access.'),
    notFound: () => error(404, 'Not found'),
    // No rate-limit headers are documented for Vultr, so none are sent (not even Retry-After).
    rateLimited: () => error(429, 'Rate limit reached - please try your request again later.'),
    serverError: (status) => error(status, 'Internal server error.'),
  },
  rateLimit: { limit: 30, windowSeconds: 1, per: 'client' },
  newServer: (rng, i) => ({
    providerServerId: uuid(rng),
    name: serverName(rng, i),
    status: pick(rng, ['running', 'running', 'stopped']),
    region: pick(rng, ['ewr', 'ord', 'fra', 'ams', 'sgp']),
    ipv4: ipv4(rng),
  }),
  newIdentityId: (rng) => uuid(rng),
  demo: {
    good: { apiKey: `${'DEMOGOOD'.repeat(4)}0000` },
    revoked: { apiKey: `${'DEMODEAD'.repeat(4)}0000` },
    slow: { apiKey: `${'DEMOSLOW'.repeat(4)}0000` },
  },
}
