import { createPublicKey, generateKeyPairSync, verify, type KeyObject } from 'node:crypto'
import { bearerToken } from '../../auth.js'
import { chars, digits, HEX, ipv4, pick, seededRng, serverName, uuid } from '../../generate.js'
import { json } from '../../http.js'
import { paginate } from '../../paginate.js'
import type {
  Account,
  AuthResult,
  ProviderSpec,
  RateInfo,
  RouteContext,
  SimRequest,
} from '../../spec.js'
import { DEMO_KEY_GOOD, DEMO_KEY_REVOKED, DEMO_KEY_SLOW } from './demo-keys.js'
import { forgetToken, lifetimeSeconds, mintToken, parseBody, tokenEntry } from './token.js'
import type { SimServer } from '../../types.js'
import { writeRoutes } from './writes.js'

/**
 * TransIP REST API v6 (https://api.transip.nl/rest/docs.html). `POST /v6/auth` carries a body signed with the
 * account's RSA key (SHA-512, PKCS#1 v1.5) in the `Signature` header and answers 201 with a JWT;
 * every other call uses that JWT as a Bearer token. The simulator verifies the signature with the
 * public half of the stored key, refuses reused nonces, and honours the token's lifetime,
 * read-only and global-key flags. `scopes: 'insufficient'` is an account without API access.
 * Writes (order and cancel a VPS) are in ./writes.ts.
 */

const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789'
const err = (status: number, message: string, headers?: Record<string, string>) =>
  json(status, { error: message }, headers)

/** UNCONFIRMED: TransIP documents neither a default nor a maximum page size. */
const PAGE_SIZES = { default: 25, max: 1000 }

const usedNonces = new Set<string>()
const publicKeys = new Map<string, KeyObject>()

const publicKeyOf = (pem: string) => {
  let key = publicKeys.get(pem)
  if (!key) publicKeys.set(pem, (key = createPublicKey(pem)))
  return key
}

function authenticateLogin(req: SimRequest, find: (k: string) => Account | undefined): AuthResult {
  const body = parseBody(req)
  const login = typeof body?.login === 'string' ? body.login : null
  const deny = (status: number, message: string): AuthResult => ({
    credential: login,
    reject: err(status, message),
  })
  if (!body || !login) return deny(400, 'Please specify a login in the body')
  if (typeof body.nonce !== 'string' || !body.nonce)
    return deny(400, 'Please specify a nonce in the body')
  const signature = req.headers.signature
  if (!signature) return deny(400, 'Please specify a signature in the header')
  const account = find(login)
  if (!account) return { credential: login }
  const key = publicKeyOf(account.credentials.privateKey ?? '')
  if (!verify('sha512', req.rawBody, key, Buffer.from(signature, 'base64')))
    return { credential: login }
  if (lifetimeSeconds(body.expiration_time) === null)
    return deny(400, 'Please specify a valid expiration time, e.g. "30 minutes"')
  // A replayed signed body must not mint a second token.
  const nonce = `${login}\n${body.nonce}`
  if (usedNonces.has(nonce)) return deny(400, 'This nonce has already been used')
  usedNonces.add(nonce)
  return { credential: login, account }
}

function authenticate(
  req: SimRequest,
  find: (k: string) => Account | undefined,
  now: number,
): AuthResult {
  if (req.url.pathname === '/v6/auth' && req.method === 'POST') return authenticateLogin(req, find)
  const token = bearerToken(req)
  if (!token) return { credential: null }
  const found = tokenEntry(token)
  if (!found) return { credential: token }
  const [jti, entry] = found
  const account = find(entry.login)
  if (!account) return { credential: entry.login }
  const deny = (status: number, message: string): AuthResult => ({
    credential: entry.login,
    reject: err(status, message),
  })
  if (account.revoked) return { ...deny(401, 'Your access token has been revoked.'), account }
  if (now >= entry.exp) {
    forgetToken(jti)
    return deny(401, 'Your access token has expired.')
  }
  if (!entry.globalKey)
    return deny(403, 'This token may only be used from whitelisted IP addresses')
  if (entry.readOnly && req.method !== 'GET') return deny(403, 'This is a read-only token')
  return { credential: entry.login, account }
}

function toVps(s: SimServer) {
  const rng = seededRng(s.providerServerId)
  return {
    name: s.providerServerId,
    uuid: uuid(rng),
    description: s.name,
    productName: pick(rng, ['vps-bladevps-x1', 'vps-bladevps-x4', 'vps-performance-c2']),
    operatingSystem: pick(rng, ['ubuntu-24.04', 'debian-12', 'almalinux-9']),
    diskSize: 157_286_400,
    memorySize: 4_194_304,
    cpus: 2,
    status: s.status,
    ipAddress: s.ipv4,
    macAddress: Array.from({ length: 6 }, () => chars(rng, HEX, 2)).join(':'),
    currentSnapshots: 0,
    maxSnapshots: 10,
    isLocked: false,
    isBlocked: false,
    isCustomerLocked: false,
    availabilityZone: s.region,
    tags: [],
  }
}

const rateHeaders = (rate: RateInfo) => ({
  'X-Rate-Limit-Limit': String(rate.limit),
  'X-Rate-Limit-Remaining': String(rate.remaining),
  'X-Rate-Limit-Reset': String(rate.reset),
})

export const transip: ProviderSpec = {
  id: 'transip',
  fields: ['login', 'privateKey'],
  generateCredential: (rng) => ({
    login: `sim${chars(rng, LOWER, 9)}`,
    privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string,
  }),
  // A login has one key pair here; the key proves the login, it does not name the account.
  credentialKey: (c) => c.login ?? '',
  authenticate,
  routes: [
    {
      method: 'POST',
      path: '/v6/auth',
      scope: 'api',
      handle: ({ req, account, now }: RouteContext) =>
        json(201, { token: mintToken(account, parseBody(req) ?? {}, now) }),
    },
    { method: 'GET', path: '/v6/api-test', handle: () => json(200, { ping: 'pong' }) },
    {
      // The list key is `vpss` (gotransip vps/vps.go `vpssWrapper`, json:"vpss"). Without `page`
      // or `pageSize` every VPS comes back (gotransip GetAll); with them one page (GetSelection,
      // and transip-api-php VpsRepository::getSelection send `pageSize` and `page`, 1-based).
      // Neither client reads a pagination header and the docs name none we could confirm, so the
      // simulator sends none: a page shorter than pageSize is the last.
      method: 'GET',
      path: '/v6/vps',
      handle: ({ req, account }) => {
        const q = req.url.searchParams
        const all = account.servers.map(toVps)
        if (!q.has('page') && !q.has('pageSize')) return json(200, { vpss: all })
        const { items } = paginate(all, q, { page: 'page', perPage: 'pageSize' }, PAGE_SIZES)
        return json(200, { vpss: items })
      },
    },
    ...writeRoutes,
  ],
  errors: {
    // UNCONFIRMED: only the status (401) of a refused login is known, not its message.
    unauthorized: (req) =>
      req.url.pathname === '/v6/auth'
        ? err(401, 'Authentication failed')
        : err(401, 'Your access token is invalid or missing'),
    // The status (409) comes from a gotransip test mock; the real one is UNCONFIRMED.
    forbidden: () => err(409, 'Authentication failed, API is not enabled for customer'),
    notFound: () => err(404, 'Not found'),
    rateLimited: (rate) => err(429, 'Rate limit exceeded', rateHeaders(rate)),
    serverError: (status) => err(status, 'Internal server error'),
  },
  // UNCONFIRMED numbers; the X-Rate-Limit-* headers are from the PHP client.
  rateLimit: { limit: 1000, windowSeconds: 60, per: 'credential' },
  headers: (_account, rate) => rateHeaders(rate),
  newServer: (rng, i) => ({
    providerServerId: `sim${chars(rng, LOWER, 6)}-vps${i + 1}`,
    name: serverName(rng, i),
    status: pick(rng, ['running', 'running', 'stopped']),
    region: pick(rng, ['ams0', 'rtm0']),
    ipv4: ipv4(rng),
  }),
  newIdentityId: (rng) => digits(rng, 6),
  demo: {
    good: { login: 'cloudlink-demo', privateKey: DEMO_KEY_GOOD },
    revoked: { login: 'cloudlink-dead', privateKey: DEMO_KEY_REVOKED },
    slow: { login: 'cloudlink-slow', privateKey: DEMO_KEY_SLOW },
  },
}
