import {
  chars,
  ipv4,
  pastDate,
  pick,
  seededRng,
  serverName,
  stableUuid,
  uuid,
  UPPER_ALNUM,
} from '../generate.js'
import { json } from '../http.js'
import { paginate } from '../paginate.js'
import type { Account, ProviderSpec, RouteContext, SimRequest } from '../spec.js'
import type { SimServer } from '../types.js'

/**
 * Scaleway (https://www.scaleway.com/en/developers/api/): the secret key alone authenticates (`X-Auth-Token`); the access
 * key only names the API key. `scopes: 'insufficient'` is a key whose policy grants neither
 * IAMReadOnly nor InstancesReadOnly: it authenticates, and gets 403 `permissions_denied` on both.
 */

const SCALEWAY_ZONES = [
  'fr-par-1',
  'fr-par-2',
  'fr-par-3',
  'nl-ams-1',
  'nl-ams-2',
  'nl-ams-3',
  'pl-waw-1',
  'pl-waw-2',
  'pl-waw-3',
]

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const notFound = (resource: string, id: string) =>
  json(404, { message: 'resource is not found', resource, resource_id: id, type: 'not_found' })

/** A server whose region is no Scaleway zone (one a test made up) lives in the default zone. */
const zoneOf = (s: SimServer) => (SCALEWAY_ZONES.includes(s.region) ? s.region : 'fr-par-1')

function toServer(s: SimServer, account: Account, project: string) {
  const rng = seededRng(s.providerServerId)
  const created = pastDate(rng)
  const id = (what: string) => stableUuid(`${s.providerServerId}:${what}`)
  const publicIp = s.ipv4
    ? {
        id: id('ip'),
        address: s.ipv4,
        dynamic: false,
        family: 'inet',
        provisioning_mode: 'dhcp',
        state: 'attached',
      }
    : null
  return {
    id: s.providerServerId,
    name: s.name,
    arch: 'x86_64',
    commercial_type: 'DEV1-S',
    boot_type: 'local',
    organization: account.identity.id,
    project,
    hostname: s.name,
    image: { id: id('image'), name: 'Ubuntu 24.04 Noble Numbat', arch: 'x86_64' },
    protected: false,
    private_ip: null,
    public_ip: publicIp,
    public_ips: publicIp ? [publicIp] : [],
    mac_address: id('mac')
      .replace(/-/g, '')
      .slice(0, 12)
      .replace(/(..)(?!$)/g, '$1:'),
    creation_date: created,
    modification_date: created,
    state: s.status,
    location: null,
    ipv6: null,
    zone: zoneOf(s),
    tags: [],
    security_group: { id: id('security-group'), name: 'Default security group' },
    state_detail: s.status === 'running' ? 'booted' : '',
    allowed_actions: s.status === 'running' ? ['poweroff', 'terminate', 'reboot'] : ['poweron'],
    dynamic_ip_required: false,
    routed_ip_enabled: true,
    volumes: {
      '0': {
        id: id('volume'),
        name: `${s.name}-root`,
        volume_type: 'sbs_volume',
        state: 'in_use',
        zone: zoneOf(s),
        boot: true,
      },
    },
    maintenances: [],
    private_nics: [],
    filesystems: [],
    end_of_service: false,
    placement_group: null,
  }
}

/**
 * Instance lists page with `page`/`per_page`; the total is `total_count` in the body (the
 * documented ListServersResponse) and, as the legacy Instance API also sends it, `X-Total-Count`.
 */
function servers(ctx: RouteContext) {
  const zone = ctx.params.zone ?? ''
  if (!SCALEWAY_ZONES.includes(zone)) return notFound('zone', zone)
  const inZone = ctx.account.servers.filter((s) => zoneOf(s) === zone)
  const p = paginate(
    inZone,
    ctx.req.url.searchParams,
    { page: 'page', perPage: 'per_page' },
    { default: 50, max: 100 },
  )
  const project = uuid(seededRng(ctx.account.identity.id))
  const servers = p.items.map((s) => toServer(s, ctx.account, project))
  return json(200, { servers, total_count: p.total }, { 'X-Total-Count': String(p.total) })
}

/** Scaleway tells unknown from malformed keys by `reason`; with no header at all it is UNCONFIRMED. */
const denied = (req: SimRequest) => {
  const token = req.headers['x-auth-token']
  return json(401, {
    message: 'authentication is denied',
    method: 'api_key',
    reason: token && !UUID.test(token) ? 'invalid_argument' : 'not_found',
    type: 'denied_authentication',
  })
}

const RESOURCE_OF: Record<string, string> = {
  IAMReadOnly: 'api_key',
  InstancesReadOnly: 'instance_server',
}

export const scaleway: ProviderSpec = {
  id: 'scaleway',
  fields: ['accessKey', 'secretKey'],
  generateCredential: (rng) => ({
    accessKey: `SCW${chars(rng, UPPER_ALNUM, 17)}`,
    secretKey: uuid(rng),
  }),
  credentialKey: (c) => c.secretKey ?? '',
  authenticate(req, find) {
    const token = req.headers['x-auth-token'] ?? null
    return token === null ? { credential: null } : { credential: token, account: find(token) }
  },
  routes: [
    {
      method: 'GET',
      path: '/iam/v1alpha1/api-keys/:accessKey',
      scope: 'IAMReadOnly',
      handle: ({ account, params }) => {
        // Another API key (another Organization's, or one that does not exist): not found. Which
        // answer the real API gives for another Organization's key (403 or 404) is UNCONFIRMED.
        if (params.accessKey !== account.credentials.accessKey)
          return notFound('api_key', params.accessKey ?? '')
        const rng = seededRng(account.identity.id)
        const created = pastDate(rng)
        return json(200, {
          access_key: account.credentials.accessKey,
          secret_key: null,
          user_id: account.identity.id,
          description: `Cloudlink (${account.identity.name})`,
          created_at: created,
          updated_at: created,
          expires_at: null,
          default_project_id: uuid(rng),
          editable: true,
          deletable: true,
          managed: false,
          creation_ip: ipv4(rng),
        })
      },
    },
    {
      method: 'GET',
      path: '/instance/v1/zones/:zone/servers',
      scope: 'InstancesReadOnly',
      handle: servers,
    },
  ],
  errors: {
    unauthorized: denied,
    forbidden: (_req, route) =>
      json(403, {
        message: 'insufficient permissions',
        type: 'permissions_denied',
        details: [{ resource: RESOURCE_OF[route.scope ?? ''] ?? 'unknown', action: 'read' }],
      }),
    notFound: (req) => notFound('route', req.url.pathname),
    // UNCONFIRMED: Scaleway documents neither its limits nor this body; no headers are invented.
    rateLimited: () => json(429, { message: 'rate limit exceeded', type: 'too_many_requests' }),
    serverError: (status) => json(status, { message: 'internal error', type: 'internal_error' }),
  },
  // UNCONFIRMED: no documented quota.
  rateLimit: { limit: 600, windowSeconds: 60, per: 'credential' },
  // Generated servers sit in the default zone, where a single-zone list finds both.
  newServer: (rng, i) => ({
    providerServerId: uuid(rng),
    name: serverName(rng, i),
    status: pick(rng, ['running', 'running', 'stopped']),
    region: 'fr-par-1',
    ipv4: ipv4(rng),
  }),
  newIdentityId: (rng) => uuid(rng),
  demo: {
    good: { accessKey: 'SCWDEMOGOOD000000000', secretKey: '600d600d-600d-4600-a600-600d600d600d' },
    revoked: {
      accessKey: 'SCWDEMODEAD000000000',
      secretKey: 'deaddead-dead-4dea-adea-deaddeaddead',
    },
    slow: { accessKey: 'SCWDEMOSLOW000000000', secretKey: '51055105-5105-4510-a510-510551055105' },
  },
}
