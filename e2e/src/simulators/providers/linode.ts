import { bearerAuth } from '../auth.js'
import {
  chars,
  digits,
  HEX,
  ipv4,
  pastDate,
  pick,
  randomRng,
  seededRng,
  serverName,
  uuid,
} from '../generate.js'
import { json, jsonBody } from '../http.js'
import { paginate } from '../paginate.js'
import type { Account, ProviderSpec, RateInfo, RouteContext } from '../spec.js'
import type { SimServer } from '../types.js'

/** Linode API v4 (https://techdocs.akamai.com/linode-api/reference/api): Bearer PAT, `/v4/profile` works with any scope. */

const error = (status: number, reason: string, headers?: Record<string, string>) =>
  json(status, { errors: [{ reason }] }, headers)

const rateHeaders = (rate: RateInfo) => ({
  'X-RateLimit-Limit': String(rate.limit),
  'X-RateLimit-Remaining': String(rate.remaining),
  'X-RateLimit-Reset': String(rate.reset),
})

/** What an `insufficient` token holds: anything but `linodes:*` (`access` is providers/access/). */
const scopesOf = (account: Account) =>
  account.scopes === 'full' ? '*' : 'account:read_only domains:read_only'

function toInstance(s: SimServer) {
  const rng = seededRng(s.providerServerId)
  const created = pastDate(rng).replace('Z', '')
  return {
    id: Number(s.providerServerId),
    label: s.name,
    group: '',
    status: s.status,
    created,
    updated: created,
    type: 'g6-nanode-1',
    ipv4: s.ipv4 ? [s.ipv4] : [],
    ipv6: `2600:3c03::f03c:${chars(rng, HEX, 4)}:${chars(rng, HEX, 4)}:${chars(rng, HEX, 4)}/128`,
    image: 'linode/ubuntu24.04',
    region: s.region,
    specs: { disk: 25600, memory: 1024, vcpus: 1, gpus: 0, transfer: 1000, accelerated_devices: 0 },
    alerts: { cpu: 90, network_in: 10, network_out: 10, transfer_quota: 80, io: 10000 },
    backups: {
      enabled: false,
      available: false,
      last_successful: null,
      schedule: { day: null, window: null },
    },
    hypervisor: 'kvm',
    watchdog_enabled: true,
    tags: [],
    capabilities: [],
    has_user_data: false,
    lke_cluster_id: null,
    locks: [],
    maintenance_policy: 'linode/migrate',
    placement_group: null,
    site_type: 'core',
    disk_encryption: 'disabled',
  }
}

function instances(ctx: RouteContext) {
  const p = paginate(
    ctx.account.servers,
    ctx.req.url.searchParams,
    { page: 'page', perPage: 'page_size' },
    { default: 100, max: 500 },
  )
  return json(200, {
    data: p.items.map(toInstance),
    page: p.page,
    pages: p.lastPage,
    results: p.total,
  })
}

const fieldError = (field: string, reason: string) => json(400, { errors: [{ field, reason }] })

/** The docs' label rule: 3-64 of letters, digits, `-`, `_`, `.`, alphanumeric at both ends, no doubles. */
const LABEL = /^(?=.{3,64}$)[a-zA-Z0-9](?:[a-zA-Z0-9]|[-_.](?![-_.]))*[a-zA-Z0-9]$/

/** POST linode/instances: 200 with the whole Linode, still `provisioning` (the client's Linode type). */
function createInstance({ req, account }: RouteContext) {
  const body = jsonBody(req)
  if (!body) return error(400, 'Invalid JSON')
  if (typeof body.region !== 'string' || !body.region)
    return fieldError('region', 'region is required')
  if (typeof body.type !== 'string' || !body.type) return fieldError('type', 'type is required')
  if (body.image && typeof body.root_pass !== 'string')
    return fieldError('root_pass', 'root_pass is required when deploying from an image')
  const rng = randomRng()
  const id = digits(rng, 8)
  const label = typeof body.label === 'string' ? body.label : `linode${id}`
  if (!LABEL.test(label))
    return fieldError('label', 'Label must be 3-64 letters, digits, -, _ or ., no two in a row')
  if (account.servers.some((s) => s.name === label))
    return fieldError('label', 'Label must be unique among your linodes')
  const server = {
    providerServerId: id,
    name: label,
    status: 'running',
    region: body.region,
    ipv4: ipv4(rng),
  }
  account.servers.push(server)
  return json(200, { ...toInstance(server), status: 'provisioning', type: body.type })
}

/** DELETE linode/instances/{id}: 200 with an empty object. */
function deleteInstance({ account, params }: RouteContext) {
  const at = account.servers.findIndex((s) => s.providerServerId === params.id)
  if (at < 0) return error(404, 'Not found')
  account.servers.splice(at, 1)
  return json(200, {})
}

export const linode: ProviderSpec = {
  id: 'linode',
  fields: ['token'],
  generateCredential: (rng) => ({ token: chars(rng, HEX, 64) }),
  authenticate: bearerAuth,
  routes: [
    {
      // "Always accessible, no matter what OAuth scopes the acting token has": no `scope`.
      method: 'GET',
      path: '/v4/profile',
      handle: ({ account }) =>
        json(200, {
          uid: /^\d+$/.test(account.identity.id)
            ? Number(account.identity.id)
            : account.identity.id,
          username: account.identity.name,
          email: account.identity.email,
          timezone: 'GMT',
          email_notifications: true,
          referrals: { code: '', url: '', total: 0, completed: 0, pending: 0, credit: 0 },
          ip_whitelist_enabled: false,
          lish_auth_method: 'password_keys',
          authorized_keys: null,
          two_factor_auth: true,
          restricted: false,
          authentication_type: 'password',
          user_type: 'default',
          verified_phone_number: null,
        }),
    },
    // The same list under v4beta, where Linode's own client (@linode/api-v4) asks for it.
    ...['/v4/linode/instances', '/v4beta/linode/instances'].map((path) => ({
      method: 'GET',
      path,
      scope: 'linodes:read_only',
      handle: (ctx: RouteContext) => ({
        ...instances(ctx),
        headers: { 'X-Accepted-OAuth-Scopes': 'linodes:read_only' },
      }),
    })),
    // @linode/api-v4 creates under v4beta and deletes under v4; the API serves both on both.
    ...['/v4', '/v4beta'].flatMap((root) => [
      {
        method: 'POST',
        path: `${root}/linode/instances`,
        scope: 'linodes:read_write',
        write: true,
        handle: createInstance,
      },
      {
        method: 'DELETE',
        path: `${root}/linode/instances/:id`,
        scope: 'linodes:read_write',
        write: true,
        handle: deleteInstance,
      },
    ]),
  ],
  errors: {
    unauthorized: () => error(401, 'Invalid Token'),
    // The trap: a missing scope is a 401 like a bad token; only the reason and scopes headers differ.
    forbidden: (_req, route) =>
      error(401, 'Your OAuth token is not authorized to use this endpoint.', {
        'X-Accepted-OAuth-Scopes': route.scope ?? '*',
      }),
    notFound: () => error(404, 'Not found'),
    rateLimited: (rate) =>
      error(429, 'Too many requests', {
        ...rateHeaders(rate),
        'Retry-After': String(rate.retryAfter),
      }),
    serverError: (status) => error(status, 'Please try again later.'),
  },
  // 2024 general limit: 800 requests per 2 minutes.
  rateLimit: { limit: 800, windowSeconds: 120, per: 'credential' },
  headers: (account, rate) => ({
    ...rateHeaders(rate),
    'X-OAuth-Scopes': scopesOf(account),
    'X-Customer-UUID': uuid(seededRng(account.identity.id)).toUpperCase(),
  }),
  newServer: (rng, i) => ({
    providerServerId: digits(rng, 8),
    name: serverName(rng, i),
    status: pick(rng, ['running', 'running', 'offline']),
    region: pick(rng, ['us-east', 'us-ord', 'eu-central', 'gb-lon', 'ap-south']),
    ipv4: ipv4(rng),
  }),
  newIdentityId: (rng) => digits(rng, 7),
  demo: {
    good: { token: '600d'.repeat(16) },
    revoked: { token: 'dead'.repeat(16) },
    slow: { token: '5105'.repeat(16) },
  },
}
