import { createHash, timingSafeEqual } from 'node:crypto'
import { ALNUM, chars, digits, randomRng, seededRng } from '../../generate.js'
import { json } from '../../http.js'
import type { Account, AuthResult, RouteContext, SimRequest } from '../../spec.js'

/**
 * OVH's request signature and consumer keys. The stored credential is an application with one
 * validated consumer key whose access rules follow `scopes` (full: every method on `/*`;
 * insufficient: only `GET /me`; `access` narrows them further, providers/access/). More consumer keys come through the real flow:
 * POST /1.0/auth/credential, then the validation URL it returns (here
 * `GET /auth/?credentialToken=…`, with `&refuse=1` or `&expiresIn=<s>` to steer it).
 */

export interface Rule {
  method: string
  path: string
}
interface ConsumerKey {
  applicationKey: string
  credentialId: number
  rules: Rule[]
  status: 'pendingValidation' | 'validated' | 'refused' | 'expired'
  creation: number
  expiresAt: number | null
}

/** UNCONFIRMED: OVH does not document how far the timestamp may drift; python-ovh re-syncs. */
export const OVH_TIME_WINDOW_SECONDS = 300

const FULL: Rule[] = ['GET', 'POST', 'PUT', 'DELETE'].map((method) => ({ method, path: '/*' }))
const INSUFFICIENT: Rule[] = [{ method: 'GET', path: '/me' }]

const HTTP_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
}

export const ovhError = (
  status: number,
  errorCode: string,
  message: string,
  headers?: Record<string, string>,
) => json(status, { errorCode, httpCode: `${status} ${HTTP_TEXT[status]}`, message }, headers)

export function ovhSignature(
  secret: string,
  consumerKey: string,
  method: string,
  url: string,
  body: string,
  timestamp: string,
): string {
  const input = [secret, consumerKey, method, url, body, timestamp].join('+')
  return `$1$${createHash('sha1').update(input, 'utf8').digest('hex')}`
}

const sameText = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

/** `*` matches anything, further slashes included, as in OVH access rules. */
const allows = (rules: Rule[], method: string, path: string) =>
  rules.some((r) => {
    const pattern = r.path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')
    return r.method === method && new RegExp(`^${pattern}$`).test(path)
  })

/** For the routes that need no signature: the clock and the consumer-key validation page. */
const ANONYMOUS: Account = {
  credentials: {},
  servers: [],
  scopes: 'full',
  resources: {},
  identity: { id: '', name: '', email: '' },
  revoked: false,
  latencyMs: 0,
  orderingDisabled: false,
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

/** One subsidiary's consumer keys, and the checks OVH makes before it answers, in its order. */
export function createOvhAuth() {
  const consumerKeys = new Map<string, ConsumerKey>()
  const tokens = new Map<string, string>()

  /** The consumer key a request presents, as the credential record OVH keeps for it. */
  function credentialOf(account: Account, consumerKey: string, now: number) {
    const ck: ConsumerKey | undefined =
      consumerKey === account.credentials.consumerKey
        ? {
            applicationKey: account.credentials.applicationKey ?? '',
            credentialId: Number(digits(seededRng(consumerKey), 9)),
            rules: account.scopes === 'full' ? FULL : INSUFFICIENT,
            status: 'validated',
            creation: Date.UTC(2025, 0, 1),
            expiresAt: null,
          }
        : consumerKeys.get(consumerKey)
    if (!ck || ck.applicationKey !== account.credentials.applicationKey) return undefined
    if (ck.status === 'validated' && ck.expiresAt !== null && now >= ck.expiresAt)
      ck.status = 'expired'
    return ck
  }

  function authenticate(
    req: SimRequest,
    find: (k: string) => Account | undefined,
    now: number,
  ): AuthResult {
    const path = req.url.pathname
    if (path === '/1.0/auth/time' || path === '/auth/')
      return { credential: null, account: ANONYMOUS }
    const applicationKey = req.headers['x-ovh-application']
    if (!applicationKey) return { credential: null }
    const account = find(applicationKey)
    if (!account) return { credential: applicationKey }
    // Asking for a consumer key takes only the application key.
    if (path === '/1.0/auth/credential' && req.method === 'POST')
      return { credential: applicationKey, account }
    const deny = (status: number, code: string, message: string): AuthResult => ({
      credential: applicationKey,
      reject: ovhError(status, code, message),
    })
    const consumerKey = req.headers['x-ovh-consumer'] ?? ''
    const timestamp = req.headers['x-ovh-timestamp'] ?? ''
    const signature = req.headers['x-ovh-signature'] ?? ''
    if (!consumerKey || !timestamp || !signature)
      return deny(401, 'NOT_AUTHENTICATED', 'You must login first')
    if (!/^\d+$/.test(timestamp) || Math.abs(+timestamp - now / 1000) > OVH_TIME_WINDOW_SECONDS)
      return deny(400, 'QUERY_TIME_OUT', 'Query out of time') // code and message UNCONFIRMED
    const secret = account.credentials.applicationSecret ?? ''
    // The real API is served over https on port 443, so the URL a client signs never carries a
    // port, and the official libraries build it that way whatever port they are pointed at
    // (ovh/node-ovh lib/ovh.js: 'https://' + options.host + options.path). The simulator listens
    // on a loopback port over plain http, so it accepts the URL as the request reached it and the
    // URL an official client aimed at this host signs.
    const { hostname, pathname, search } = req.url
    const urls = [req.url.href, `https://${hostname}${pathname}${search}`]
    const signedOne = urls.some((url) =>
      sameText(signature, ovhSignature(secret, consumerKey, req.method, url, req.body, timestamp)),
    )
    if (!signedOne) return deny(400, 'INVALID_SIGNATURE', 'Invalid signature')
    const ck = credentialOf(account, consumerKey, now)
    if (!ck) return deny(403, 'NOT_CREDENTIAL', 'This credential does not exist')
    const invalid = ovhError(403, 'INVALID_CREDENTIAL', 'This credential is not valid')
    if (consumerKey === account.credentials.consumerKey && account.revoked)
      return { credential: applicationKey, account, reject: invalid }
    // currentCredential answers in every state: it is how a client learns why it is refused.
    if (path === '/1.0/auth/currentCredential') return { credential: applicationKey, account }
    if (ck.status !== 'validated') return { credential: applicationKey, reject: invalid }
    if (!path.startsWith('/1.0/auth/') && !allows(ck.rules, req.method, path.slice(4)))
      return deny(403, 'NOT_GRANTED_CALL', 'This call has not been granted')
    return { credential: applicationKey, account }
  }

  function currentCredential({ req, account, now }: RouteContext) {
    const ck = credentialOf(account, req.headers['x-ovh-consumer'] ?? '', now)
    if (!ck) return ovhError(403, 'NOT_CREDENTIAL', 'This credential does not exist')
    return json(200, {
      credentialId: ck.credentialId,
      applicationId: Number(digits(seededRng(ck.applicationKey), 6)),
      creation: iso(ck.creation),
      expiration: iso(ck.expiresAt),
      lastUse: iso(now),
      status: ck.status,
      ovhSupport: false,
      allowedIPs: null,
      rules: ck.rules,
    })
  }

  function requestCredential({ req, account, now }: RouteContext) {
    let rules: Rule[] = []
    try {
      const body = JSON.parse(req.body || '{}') as { accessRules?: unknown }
      if (Array.isArray(body.accessRules)) rules = body.accessRules as Rule[]
    } catch {
      return ovhError(400, 'INVALID_BODY', 'Invalid JSON body')
    }
    if (
      !rules.length ||
      !rules.every((r) => typeof r?.method === 'string' && typeof r?.path === 'string')
    )
      return ovhError(400, 'INVALID_BODY', 'accessRules must list {method, path} rules')
    const consumerKey = chars(randomRng(), ALNUM, 32)
    const credentialToken = chars(randomRng(), ALNUM, 64)
    consumerKeys.set(consumerKey, {
      applicationKey: account.credentials.applicationKey ?? '',
      credentialId: Number(digits(randomRng(), 9)),
      rules: rules.map((r) => ({ method: r.method, path: r.path })),
      status: 'pendingValidation',
      creation: now,
      expiresAt: null,
    })
    tokens.set(credentialToken, consumerKey)
    return json(200, {
      validationUrl: `${req.url.origin}/auth/?credentialToken=${credentialToken}`,
      consumerKey,
      state: 'pendingValidation',
    })
  }

  /** Stands in for the login page where the account holder grants the rules. */
  function validationPage({ req, now }: RouteContext) {
    const q = req.url.searchParams
    const ck = consumerKeys.get(tokens.get(q.get('credentialToken') ?? '') ?? '')
    const html = { 'content-type': 'text/html' }
    if (!ck || ck.status !== 'pendingValidation')
      return json(404, '<p>Unknown or already used credential token</p>', html)
    ck.status = q.get('refuse') === '1' ? 'refused' : 'validated'
    const seconds = Number(q.get('expiresIn'))
    if (seconds > 0) ck.expiresAt = now + seconds * 1000
    return json(200, `<p>Credential ${ck.status}</p>`, html)
  }

  return { authenticate, currentCredential, requestCredential, validationPage }
}
