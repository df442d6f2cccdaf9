import { bearerAuth } from '../auth.js'
import {
  ALNUM,
  chars,
  digits,
  ipv4,
  pastDate,
  pick,
  randomRng,
  seededRng,
  serverName,
} from '../generate.js'
import { json, jsonBody } from '../http.js'
import type { ProviderSpec, RateInfo, RouteContext } from '../spec.js'
import type { SimServer } from '../types.js'

/**
 * Hostinger public API (https://developers.hostinger.com/): Bearer token with the owner's permissions, no whoami.
 * Tokens carry no scopes, so `scopes: 'insufficient'` changes nothing here.
 */

/**
 * Every error carries a correlation id; a fixed one keeps answers comparable in tests.
 * The body uses `message` as the spec's schema does (its prose mentions `error` instead).
 */
const CORRELATION_ID = '26a91bd9-6f3c-4c4b-9d1a-3c1f7e2b8a40'
const error = (status: number, message: string, headers?: Record<string, string>) =>
  json(status, { message, correlation_id: CORRELATION_ID }, headers)

/**
 * The spec says rate-limit headers are sent but not which (UNCONFIRMED); these are the Laravel
 * throttle's (the API answers 401 with Laravel's "Unauthenticated").
 */
const rateHeaders = (rate: RateInfo) => ({
  'X-RateLimit-Limit': String(rate.limit),
  'X-RateLimit-Remaining': String(rate.remaining),
})

/** Ids and names are the simulator's own: the real data-center list is not in the spec. */
const DATA_CENTERS = [
  { id: 9, name: 'nl-srv-vps', location: 'nl', city: 'Amsterdam', continent: 'Europe' },
  { id: 11, name: 'us-bos-vps', location: 'us', city: 'Boston', continent: 'North America' },
  { id: 13, name: 'fr-par-vps', location: 'fr', city: 'Paris', continent: 'Europe' },
  { id: 17, name: 'lt-vno-vps', location: 'lt', city: 'Vilnius', continent: 'Europe' },
  { id: 19, name: 'br-sao-vps', location: 'br', city: 'São Paulo', continent: 'South America' },
]

/** A generated server's name is a label; a hostname set through the API is stored whole. */
const hostnameOf = (s: SimServer) => (s.name.includes('.') ? s.name : `${s.name}.example.com`)

/** What a reset hostname goes back to (the form seen on Hostinger VPSes; UNCONFIRMED as a rule). */
const defaultHostname = (s: SimServer) => `srv${s.providerServerId}.hstgr.cloud`

/** `VPSV1ActionActionResource`: the hostname calls finish at once here. */
const action = (name: string, now: number) => {
  const at = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z')
  return {
    id: Number(digits(randomRng(), 8)),
    name,
    state: 'success',
    created_at: at,
    updated_at: at,
  }
}

/** The SDK's RFC 1123 check is not documented; a hostname of dot-separated labels is required. */
const HOSTNAME =
  /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/i

const vmOf = ({ account, params }: RouteContext) =>
  account.servers.find((s) => s.providerServerId === params.virtualMachineId)

/**
 * Hostinger sells VPSes through billing and has no delete, so the nearest harmless write is the
 * hostname: setHostnameV1 (PUT …/hostname `{hostname}`) and resetHostnameV1 (DELETE …/hostname),
 * each answering the Action it started (hostinger-api-sdk api.ts VPSVirtualMachineApi).
 */
function setHostname(ctx: RouteContext) {
  const vm = vmOf(ctx)
  if (!vm) return error(404, 'Virtual machine not found')
  const hostname = jsonBody(ctx.req)?.hostname
  if (typeof hostname !== 'string' || !hostname)
    return validation('hostname', 'The hostname field is required.')
  if (!HOSTNAME.test(hostname))
    return validation('hostname', 'The hostname field must be a valid hostname.')
  vm.name = hostname
  return json(200, action('set_hostname', ctx.now))
}

function resetHostname(ctx: RouteContext) {
  const vm = vmOf(ctx)
  if (!vm) return error(404, 'Virtual machine not found')
  vm.name = defaultHostname(vm)
  return json(200, action('reset_hostname', ctx.now))
}

/** Laravel's validation answer (422, `errors` by field), which the API's 401 also comes from. */
const validation = (field: string, message: string) =>
  json(422, { message, errors: { [field]: [message] }, correlation_id: CORRELATION_ID })

/** `region` holds the data-center id (as a string): a VM only knows its `data_center_id`. */
function toVm(s: SimServer) {
  const rng = seededRng(s.providerServerId)
  return {
    id: Number(s.providerServerId),
    firewall_group_id: null,
    subscription_id: chars(rng, ALNUM, 16),
    data_center_id: /^\d+$/.test(s.region) ? Number(s.region) : null,
    plan: 'KVM 2',
    hostname: hostnameOf(s),
    state: s.status,
    actions_lock: 'unlocked',
    cpus: 2,
    memory: 8192,
    disk: 102400,
    bandwidth: 8192000,
    ns1: '153.92.2.6',
    ns2: '1.1.1.1',
    ipv4: s.ipv4 ? [{ id: Number(digits(rng, 6)), address: s.ipv4, ptr: hostnameOf(s) }] : [],
    ipv6: [],
    template: {
      id: 1002,
      name: 'Ubuntu 24.04 LTS',
      description: 'Ubuntu 24.04 LTS',
      documentation: null,
    },
    created_at: pastDate(rng),
  }
}

export const hostinger: ProviderSpec = {
  id: 'hostinger',
  fields: ['token'],
  // The token format is UNCONFIRMED; 48 letters and digits.
  generateCredential: (rng) => ({ token: chars(rng, ALNUM, 48) }),
  authenticate: bearerAuth,
  routes: [
    {
      method: 'GET',
      path: '/api/vps/v1/virtual-machines',
      handle: ({ account }) => json(200, account.servers.map(toVm)),
    },
    {
      method: 'GET',
      path: '/api/vps/v1/data-centers',
      handle: () => json(200, DATA_CENTERS),
    },
    {
      method: 'PUT',
      path: '/api/vps/v1/virtual-machines/:virtualMachineId/hostname',
      write: true,
      handle: setHostname,
    },
    {
      method: 'DELETE',
      path: '/api/vps/v1/virtual-machines/:virtualMachineId/hostname',
      write: true,
      handle: resetHostname,
    },
  ],
  errors: {
    unauthorized: () => error(401, 'Unauthenticated'),
    // The spec documents no 403; only reachable if a test gives a route a scope.
    forbidden: () => error(403, 'This action is unauthorized.'),
    notFound: () => error(404, 'Not found'),
    rateLimited: (rate) =>
      error(429, 'Too Many Attempts.', {
        ...rateHeaders(rate),
        'Retry-After': String(rate.retryAfter),
      }),
    serverError: (status) => error(status, 'Server Error'),
  },
  // UNCONFIRMED: the spec gives no number.
  rateLimit: { limit: 600, windowSeconds: 60, per: 'credential' },
  headers: (_account, rate) => rateHeaders(rate),
  newServer: (rng, i) => ({
    providerServerId: digits(rng, 6),
    name: serverName(rng, i),
    status: pick(rng, ['running', 'running', 'stopped']),
    region: String(pick(rng, DATA_CENTERS).id),
    ipv4: ipv4(rng),
  }),
  newIdentityId: (rng) => digits(rng, 8),
  demo: {
    good: { token: 'DemoGood'.repeat(6) },
    revoked: { token: 'DemoDead'.repeat(6) },
    slow: { token: 'DemoSlow'.repeat(6) },
  },
}
