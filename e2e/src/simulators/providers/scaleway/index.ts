import {
  chars,
  ipv4,
  pastDate,
  pick,
  seededRng,
  serverName,
  uuid,
  UPPER_ALNUM,
} from '../../generate.js'
import { json } from '../../http.js'
import type { ProviderSpec, SimRequest } from '../../spec.js'
import { notFound, servers, UUID } from './render.js'
import { writeRoutes } from './writes.js'

/**
 * Scaleway (https://www.scaleway.com/en/developers/api/): the secret key alone authenticates (`X-Auth-Token`); the access
 * key only names the API key. `scopes: 'insufficient'` is a key whose policy grants neither
 * IAMReadOnly nor InstancesReadOnly: it authenticates, and gets 403 `permissions_denied` on both;
 * a `read-only` key lacks InstancesFullAccess, which the writes (./writes.ts) need.
 */

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
  InstancesFullAccess: 'instance_server',
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
    ...writeRoutes,
  ],
  errors: {
    unauthorized: denied,
    forbidden: (_req, route) =>
      json(403, {
        message: 'insufficient permissions',
        type: 'permissions_denied',
        details: [
          {
            resource: RESOURCE_OF[route.scope ?? ''] ?? 'unknown',
            action: route.write ? 'write' : 'read',
          },
        ],
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
