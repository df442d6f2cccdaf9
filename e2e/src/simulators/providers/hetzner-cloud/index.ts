import { bearerAuth } from '../../auth.js'
import { ALNUM, chars, digits, ipv4, pick, serverName } from '../../generate.js'
import { json } from '../../http.js'
import type { ProviderSpec, RateInfo } from '../../spec.js'
import { list, LOCATIONS, toServer } from './render.js'
import { writeRoutes } from './writes.js'

/**
 * Hetzner Cloud API v1 (https://docs.hetzner.cloud/): Bearer token per project, no whoami endpoint.
 * A token is Read or Read & Write (`access: { compute: 'read' }`: writes get 403 forbidden).
 */

const error = (status: number, code: string, message: string, headers?: Record<string, string>) =>
  json(status, { error: { code, message } }, headers)

const rateHeaders = (rate: RateInfo) => ({
  'RateLimit-Limit': String(rate.limit),
  'RateLimit-Remaining': String(rate.remaining),
  'RateLimit-Reset': String(rate.reset),
})

export const hetznerCloud: ProviderSpec = {
  id: 'hetzner-cloud',
  fields: ['token'],
  generateCredential: (rng) => ({ token: chars(rng, ALNUM, 64) }),
  authenticate: bearerAuth,
  routes: [
    {
      method: 'GET',
      path: '/v1/servers',
      scope: 'read',
      handle: (ctx) => list(ctx, 'servers', ctx.account.servers, toServer),
    },
    {
      // Static data every valid token may read: the cheapest verify call.
      method: 'GET',
      path: '/v1/locations',
      handle: (ctx) => list(ctx, 'locations', LOCATIONS, (l) => l),
    },
    ...writeRoutes,
  ],
  errors: {
    unauthorized: () => error(401, 'unauthorized', 'unable to authenticate'),
    forbidden: () => error(403, 'forbidden', 'insufficient permissions for this request'),
    notFound: () => error(404, 'not_found', 'not found'),
    rateLimited: (rate) =>
      error(429, 'rate_limit_exceeded', 'limit of 3600 requests per hour reached', {
        ...rateHeaders(rate),
        'Retry-After': String(rate.retryAfter),
      }),
    serverError: (status) =>
      status === 503
        ? error(503, 'unavailable', 'service unavailable')
        : error(status, 'service_error', 'internal service error'),
  },
  // 3600 per hour per project; the real bucket refills 1/s, a fixed window is close enough here.
  rateLimit: { limit: 3600, windowSeconds: 3600, per: 'credential' },
  headers: (_account, rate) => rateHeaders(rate),
  newServer: (rng, i) => ({
    providerServerId: digits(rng, 8),
    name: serverName(rng, i),
    status: pick(rng, ['running', 'running', 'off']),
    region: pick(rng, ['fsn1', 'nbg1', 'hel1', 'ash']),
    ipv4: ipv4(rng),
  }),
  newIdentityId: (rng) => digits(rng, 7),
  demo: {
    good: { token: 'demoGOOD'.repeat(8) },
    revoked: { token: 'demoDEAD'.repeat(8) },
    slow: { token: 'demoSLOW'.repeat(8) },
  },
}
