import { basicLogin, bearerToken } from '../../auth.js'
import { chars, digits, ipv4, pick, serverName, uuid } from '../../generate.js'
import { BadInput, json } from '../../http.js'
import type { Account, ProviderSpec, RouteContext } from '../../spec.js'
import type { Credentials } from '../../types.js'
import { failure, legacy, problem, toAddresses, toServer, usesBasic, ZONES } from './render.js'
import { writeRoutes } from './writes.js'

/**
 * UpCloud API 1.3 (https://developers.upcloud.com/1.3/): Bearer `ucat_…` or HTTP Basic, `/1.3/account` identifies.
 *
 * UpCloud answers errors in two shapes, a legacy `{"error":{"error_code","error_message"}}` and an
 * RFC 7807 problem. Which endpoint or client gets which is UNCONFIRMED, so the simulator answers
 * Basic-auth requests in the legacy shape and everything else as a problem: clients must read both.
 */

/** Crockford base32, as in the docs' example token (the exact alphabet is UNCONFIRMED). */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** UNCONFIRMED: the API's own limit bounds are not documented; the Go client caps pages at 100. */
const MAX_LIMIT = 100

function listServers({ req, account }: RouteContext) {
  const q = req.url.searchParams
  let servers = account.servers
  if (q.has('limit') || q.has('offset')) {
    const limit = Number(q.get('limit') ?? MAX_LIMIT)
    const offset = Number(q.get('offset') ?? 0)
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT)
      return failure(req, 400, 'INVALID_LIMIT', `limit must be an integer from 0 to ${MAX_LIMIT}`)
    if (!Number.isInteger(offset) || offset < 0)
      return failure(req, 400, 'INVALID_OFFSET', 'offset must be a non-negative integer')
    // limit 0 is the Go client's Page{Size: 0}: no limit.
    servers = servers.slice(offset, limit === 0 ? undefined : offset + limit)
  }
  return json(200, { servers: { server: servers.map(toServer) } })
}

/** The account name: the Basic username, or for a token the username of the user who created it. */
const usernameOf = (account: Account) => account.credentials.username ?? account.identity.id

export const upcloud: ProviderSpec = {
  id: 'upcloud',
  fields: ['token', 'username', 'password'],
  generateCredential: (rng) => ({ token: `ucat_${chars(rng, CROCKFORD, 26)}` }),
  pickCredential(c: Credentials): Credentials {
    if (c.token) return { token: c.token }
    if (!c.username) throw new BadInput('credentials.token or credentials.username is required')
    if (!c.password) throw new BadInput('credentials.password is required')
    return { username: c.username, password: c.password }
  },
  credentialKey: (c) => c.token ?? `${c.username}:${c.password}`,
  authenticate(req, find) {
    const credential = bearerToken(req) ?? basicLogin(req)
    return credential === null ? { credential } : { credential, account: find(credential) }
  },
  routes: [
    {
      method: 'GET',
      path: '/1.3/account',
      handle: ({ account }) =>
        json(200, {
          account: {
            credits: 9972.2324,
            username: usernameOf(account),
            resource_limits: {
              cores: 200,
              detached_floating_ips: 10,
              memory: 1048576,
              networks: 100,
              public_ipv4: 100,
              public_ipv6: 100,
              storage_hdd: 10240,
              storage_ssd: 10240,
            },
          },
        }),
    },
    // Every server, or one page with `limit` and `offset`: upcloud-go-api request/page.go (Page
    // → `limit=<size>&offset=<(number-1)*size>`, PageSizeMax 100), sent on `/server/?…` by
    // GetServersWithFiltersRequest (request/server.go) and on `/server` by GetServers.
    { method: 'GET', path: '/1.3/server', scope: 'servers', handle: listServers },
    { method: 'GET', path: '/1.3/server/', scope: 'servers', handle: listServers },
    {
      method: 'GET',
      path: '/1.3/ip_address',
      scope: 'servers',
      handle: ({ account }) =>
        json(200, { ip_addresses: { ip_address: account.servers.flatMap(toAddresses) } }),
    },
    ...writeRoutes,
  ],
  errors: {
    unauthorized: (req) =>
      usesBasic(req)
        ? legacy(
            401,
            'AUTHENTICATION_FAILED',
            'Authentication failed using the given username and password.',
          )
        : problem(401, 'AUTHENTICATION_FAILED', 'Authentication failed using the given token.'),
    // What a sub-account without server permissions gets is UNCONFIRMED; the code is from the
    // documented list (ACTION_FORBIDDEN).
    forbidden: (req) =>
      failure(req, 403, 'ACTION_FORBIDDEN', 'You do not have permission to perform this action.'),
    notFound: (req) => failure(req, 404, 'NOT_FOUND', 'The requested resource does not exist.'),
    // UpCloud documents no rate limit or headers (UNCONFIRMED); a plain 429 problem, no Retry-After.
    rateLimited: () => problem(429, 'RATE_LIMIT_EXCEEDED', 'Too many requests.'),
    serverError: (status) =>
      problem(status, 'INTERNAL_SERVER_ERROR', 'An internal server error occurred.'),
  },
  // UNCONFIRMED: no documented quota; this only keeps a runaway client visible.
  rateLimit: { limit: 600, windowSeconds: 60, per: 'credential' },
  newServer: (rng, i) => ({
    // UpCloud server UUIDs start with `00`.
    providerServerId: `00${uuid(rng).slice(2)}`,
    name: serverName(rng, i),
    status: pick(rng, ['started', 'started', 'stopped']),
    region: pick(rng, ZONES),
    ipv4: ipv4(rng),
  }),
  newIdentityId: (rng) => `cloudlink${digits(rng, 5)}`,
  demo: {
    good: { token: `ucat_${'600D'.repeat(6)}GD` },
    revoked: { token: `ucat_${'DEAD'.repeat(6)}DD` },
    slow: { token: `ucat_${'5105'.repeat(6)}55` },
  },
}
