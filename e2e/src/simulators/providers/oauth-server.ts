import { createHash, timingSafeEqual } from 'node:crypto'
import { chars, randomRng, seededRng, type Rng } from '../generate.js'
import { BadInput, json, matchPath, parseJson } from '../http.js'
import type { Account, AuthResult, ProviderSpec, Route, SimRequest, SimResponse } from '../spec.js'
import type { Identity, SimServer } from '../types.js'

/**
 * An OAuth 2.0 authorization server (authorization code + PKCE, refresh, revoke) that a provider
 * simulator mounts beside its API. Tokens it issues authenticate against the same simulator's API.
 *
 * The simulator core keeps no per-instance state for provider files, so this keeps its own, keyed
 * by the port the request arrived on (one simulator per port). It is steered over HTTP under
 * `/__sim-oauth/` (register a client, switch the signed-in user, deny consent, revoke consent).
 */

export const OAUTH_CONTROL_PREFIX = '/__sim-oauth/'

/** How a refresh treats the refresh token it was given. */
export type RefreshPolicy =
  /** A new refresh token; the used one stops working (DigitalOcean, Linode). */
  | 'rotate'
  /** A new refresh token; the used one keeps working until it expires (Entra ID). */
  | 'renew'
  /** No new refresh token: the same one is used again (Google). */
  | 'keep'

export interface Grant {
  id: string
  account: Account
  clientId: string
  scope: string
  revoked: boolean
}

export interface OAuthFlavor {
  /** Seeds the default signed-in user, so it is the same on every start. */
  seed: string
  authorizePath: string
  tokenPath: string
  revokePath?: string
  refresh: RefreshPolicy
  /** Seconds an access token lives. */
  accessTokenTtl: number
  tokenType: string
  defaultScope: string
  code(rng: Rng): string
  accessToken(rng: Rng, grant: Grant, expiresAt: number): string
  refreshToken(rng: Rng): string
  /** Whether a grant's scope covers the API (a narrower grant gets the API's forbidden answer). */
  coversApi(scope: string): boolean
  /** Extra fields of a token answer (DigitalOcean's `info`). */
  tokenExtras?(grant: Grant): Record<string, unknown>
  /** Extra query parameters on the redirect back with a code (Entra's `session_state`). */
  redirectExtras?(grant: { scope: string }): Record<string, string>
  /** The token endpoint's error answer (RFC 6749 §5.2, plus the provider's own fields). */
  tokenError(status: number, error: string, description: string): SimResponse
  /** The API's answer to an access token that has expired (default: its unauthorized answer). */
  expiredToken?(req: SimRequest): SimResponse
}

interface Code {
  clientId: string
  redirectUri: string
  challenge: string | null
  method: string | null
  scope: string
  account: Account
  expiresAt: number
}

interface Consent {
  deny: { error: string; description: string } | null
  /** The scope the user lets through, narrower than asked (unticked boxes, a read-only grant). */
  grantedScope: string | null
  /** The code remembers a wrong PKCE challenge, so the exchange fails verification. */
  tamperChallenge: boolean
  /** Authorizations this consent applies to before it resets to plain consent; null: all. */
  times: number | null
}

interface ServerState {
  clients: Map<string, string>
  user: Account
  consent: Consent
  accessTokenTtl: number
  settings: Record<string, unknown>
  codes: Map<string, Code>
  grants: Map<string, Grant>
  refreshTokens: Map<string, string>
  accessTokens: Map<string, { grant: string; expiresAt: number }>
}

export interface OAuthLookup {
  grant: Grant
  expiresAt: number
}

export interface OAuthServer {
  /**
   * Authenticates the OAuth endpoints themselves (they take client credentials, not a bearer token)
   * and API requests with a token this server issued. null: neither; the provider's own scheme
   * decides.
   */
  authenticate(req: SimRequest, now: number): AuthResult | null
  routes: Route[]
  /** The live grant behind an access token, or null (unknown, revoked or expired). */
  lookup(req: SimRequest, token: string, now: number): OAuthLookup | null
  /** A value set with `PUT /__sim-oauth/settings` (provider-specific switches). */
  setting(req: SimRequest, name: string): unknown
  /** True for users created by the consent screen (as opposed to control-API credentials). */
  isOAuthUser(account: Account): boolean
}

const plainConsent = (): Consent => ({
  deny: null,
  grantedScope: null,
  tamperChallenge: false,
  times: null,
})

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url')

const sameSecret = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

/** Query parameters, overridden by a form (or JSON) body: providers accept both. */
function paramsOf(req: SimRequest): URLSearchParams {
  const params = new URLSearchParams(req.url.search)
  const type = req.headers['content-type'] ?? ''
  if (type.includes('application/json')) {
    const body = parseJson(req.body)
    if (body && typeof body === 'object')
      for (const [k, v] of Object.entries(body)) if (typeof v === 'string') params.set(k, v)
  } else if (req.body) for (const [k, v] of new URLSearchParams(req.body)) params.set(k, v)
  return params
}

function clientOf(req: SimRequest, params: URLSearchParams) {
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '')
  if (basic?.[1]) {
    const [id, ...rest] = Buffer.from(basic[1], 'base64').toString('utf8').split(':')
    return { id: decodeURIComponent(id ?? ''), secret: decodeURIComponent(rest.join(':')) }
  }
  return { id: params.get('client_id') ?? '', secret: params.get('client_secret') ?? '' }
}

function redirectTo(target: string, query: Record<string, string>): SimResponse {
  const url = new URL(target)
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v)
  return { status: 302, headers: { location: url.toString() }, body: '' }
}

function asObject(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new BadInput('body must be a JSON object')
  return value as Record<string, unknown>
}

function serversOf(value: unknown): SimServer[] {
  if (!Array.isArray(value)) throw new BadInput('servers must be an array')
  return value.map((s: Partial<SimServer>) => {
    if (!s || typeof s.providerServerId !== 'string' || typeof s.name !== 'string')
      throw new BadInput('each server needs providerServerId and name strings')
    return {
      providerServerId: s.providerServerId,
      name: s.name,
      status: String(s.status),
      region: String(s.region),
      ipv4: s.ipv4 ?? null,
    }
  })
}

export function createOAuthServer(
  flavor: OAuthFlavor,
  spec: Pick<ProviderSpec, 'newServer' | 'newIdentityId'>,
): OAuthServer {
  const states = new Map<string, ServerState>()
  const oauthUsers = new WeakSet<Account>()

  function newUser(
    rng: Rng,
    opts: { identity?: Identity; servers?: SimServer[]; scopes?: 'full' | 'insufficient' } = {},
  ): Account {
    const number = chars(rng, '0123456789', 6)
    const id = opts.identity?.id ?? spec.newIdentityId(rng)
    const account: Account = {
      credentials: { token: `oauth-user:${id}` },
      servers: opts.servers ?? [0, 1].map((i) => spec.newServer(rng, i)),
      scopes: opts.scopes ?? 'full',
      identity: {
        id,
        name: opts.identity?.name ?? `Sim User ${number}`,
        email: opts.identity?.email ?? `sim-${number}@example.com`,
      },
      revoked: false,
      latencyMs: 0,
      orderingDisabled: false,
    }
    oauthUsers.add(account)
    return account
  }

  const stateOf = (req: SimRequest): ServerState => {
    const key = req.url.port
    let state = states.get(key)
    if (!state) {
      state = {
        clients: new Map(),
        user: newUser(seededRng(`${flavor.seed}:oauth-user`)),
        consent: plainConsent(),
        accessTokenTtl: flavor.accessTokenTtl,
        settings: {},
        codes: new Map(),
        grants: new Map(),
        refreshTokens: new Map(),
        accessTokens: new Map(),
      }
      states.set(key, state)
    }
    return state
  }

  const isEndpoint = (path: string) =>
    path.startsWith(OAUTH_CONTROL_PREFIX) ||
    [flavor.authorizePath, flavor.tokenPath, flavor.revokePath].some(
      (p) => p !== undefined && matchPath(p, path) !== null,
    )

  /** The consent configured for this authorization; counts it against `times`. */
  function takeConsent(st: ServerState): Consent {
    const consent = st.consent
    if (consent.times !== null && --consent.times <= 0) st.consent = plainConsent()
    return consent
  }

  function lookup(req: SimRequest, token: string, now: number): OAuthLookup | null {
    const st = stateOf(req)
    const entry = st.accessTokens.get(token)
    const grant = entry && st.grants.get(entry.grant)
    if (!entry || !grant || grant.revoked || entry.expiresAt <= now) return null
    return { grant, expiresAt: entry.expiresAt }
  }

  function issue(st: ServerState, grant: Grant, now: number, withRefresh: boolean) {
    const rng = randomRng()
    const expiresAt = now + st.accessTokenTtl * 1000
    const accessToken = flavor.accessToken(rng, grant, expiresAt)
    st.accessTokens.set(accessToken, { grant: grant.id, expiresAt })
    let refreshToken: string | undefined
    if (withRefresh) {
      refreshToken = flavor.refreshToken(rng)
      st.refreshTokens.set(refreshToken, grant.id)
    }
    return json(
      200,
      {
        access_token: accessToken,
        token_type: flavor.tokenType,
        expires_in: st.accessTokenTtl,
        ...(refreshToken ? { refresh_token: refreshToken } : {}),
        scope: grant.scope,
        ...flavor.tokenExtras?.(grant),
      },
      { 'cache-control': 'no-store', pragma: 'no-cache' },
    )
  }

  function authorize(req: SimRequest, now: number): SimResponse {
    const st = stateOf(req)
    const q = req.url.searchParams
    const clientId = q.get('client_id') ?? ''
    const redirectUri = q.get('redirect_uri') ?? ''
    // Like the real servers: no redirect to an address the client has not proven to own.
    if (!st.clients.has(clientId))
      return json(400, { error: 'invalid_client', error_description: 'Unknown client_id' })
    if (!/^https?:\/\/[^\s]+$/.test(redirectUri))
      return json(400, { error: 'invalid_request', error_description: 'redirect_uri is required' })
    const back = (query: Record<string, string>) =>
      redirectTo(redirectUri, {
        ...query,
        ...(q.has('state') ? { state: q.get('state') ?? '' } : {}),
      })
    if (q.get('response_type') !== 'code')
      return back({
        error: 'unsupported_response_type',
        error_description: 'Only code is supported',
      })
    const challenge = q.get('code_challenge')
    const method = challenge ? (q.get('code_challenge_method') ?? 'plain') : null
    if (method && method !== 'S256' && method !== 'plain')
      return back({
        error: 'invalid_request',
        error_description: 'Unsupported code_challenge_method',
      })
    const consent = takeConsent(st)
    if (consent.deny)
      return back({ error: consent.deny.error, error_description: consent.deny.description })
    const scope = consent.grantedScope ?? q.get('scope') ?? flavor.defaultScope
    const code = flavor.code(randomRng())
    st.codes.set(code, {
      clientId,
      redirectUri,
      challenge: challenge && consent.tamperChallenge ? s256(`tampered:${challenge}`) : challenge,
      method,
      scope,
      account: st.user,
      expiresAt: now + 10 * 60 * 1000,
    })
    return back({ code, ...flavor.redirectExtras?.({ scope }) })
  }

  function token(req: SimRequest, now: number): SimResponse {
    const st = stateOf(req)
    const params = paramsOf(req)
    const client = clientOf(req, params)
    const secret = st.clients.get(client.id)
    if (secret === undefined || !sameSecret(secret, client.secret))
      return flavor.tokenError(401, 'invalid_client', 'Client authentication failed')
    const grantType = params.get('grant_type')
    if (grantType === 'authorization_code') {
      const code = st.codes.get(params.get('code') ?? '')
      // Single use: a replayed code is refused like an unknown one.
      st.codes.delete(params.get('code') ?? '')
      if (!code || code.expiresAt <= now || code.clientId !== client.id)
        return flavor.tokenError(
          400,
          'invalid_grant',
          'The authorization code is invalid or has expired',
        )
      if (code.redirectUri !== params.get('redirect_uri'))
        return flavor.tokenError(
          400,
          'invalid_grant',
          'redirect_uri does not match the authorization request',
        )
      if (code.challenge) {
        const verifier = params.get('code_verifier')
        if (!verifier)
          return flavor.tokenError(400, 'invalid_request', 'code_verifier is required (PKCE)')
        const computed = code.method === 'S256' ? s256(verifier) : verifier
        if (computed !== code.challenge)
          return flavor.tokenError(
            400,
            'invalid_grant',
            'PKCE verification failed: code_verifier does not match the code_challenge',
          )
      }
      const grant: Grant = {
        id: chars(randomRng(), 'abcdef0123456789', 24),
        account: code.account,
        clientId: client.id,
        scope: code.scope,
        revoked: false,
      }
      st.grants.set(grant.id, grant)
      return issue(st, grant, now, true)
    }
    if (grantType === 'refresh_token') {
      const used = params.get('refresh_token') ?? ''
      const grant = st.grants.get(st.refreshTokens.get(used) ?? '')
      if (!grant || grant.revoked || grant.clientId !== client.id)
        return flavor.tokenError(400, 'invalid_grant', 'Token has been expired or revoked.')
      if (flavor.refresh === 'rotate') st.refreshTokens.delete(used)
      return issue(st, grant, now, flavor.refresh !== 'keep')
    }
    return flavor.tokenError(
      400,
      'unsupported_grant_type',
      `grant_type ${grantType ?? '(none)'} is not supported`,
    )
  }

  /** RFC 7009: revoking either token of a grant ends the grant; unknown tokens are not an error. */
  function revoke(req: SimRequest): SimResponse {
    const st = stateOf(req)
    const value = paramsOf(req).get('token') ?? ''
    const grantId = st.refreshTokens.get(value) ?? st.accessTokens.get(value)?.grant
    const grant = grantId ? st.grants.get(grantId) : undefined
    if (grant) grant.revoked = true
    return json(200, {})
  }

  function control(req: SimRequest): SimResponse {
    const st = stateOf(req)
    const action = `${req.method} ${req.url.pathname.slice(OAUTH_CONTROL_PREFIX.length).replace(/\/$/, '')}`
    const body = () => asObject(parseJson(req.body))
    switch (action) {
      case 'GET ':
        return json(200, {
          clients: [...st.clients.keys()],
          user: st.user.identity,
          grants: [...st.grants.values()].map((g) => ({
            subject: g.account.identity.id,
            clientId: g.clientId,
            scope: g.scope,
            revoked: g.revoked,
          })),
          settings: st.settings,
        })
      case 'POST clients': {
        const b = body()
        if (typeof b.clientId !== 'string' || !b.clientId || typeof b.clientSecret !== 'string')
          throw new BadInput('clientId and clientSecret strings are required')
        st.clients.set(b.clientId, b.clientSecret)
        return json(201, { clientId: b.clientId })
      }
      case 'PUT user': {
        const b = body()
        const identity = b.identity === undefined ? undefined : (asObject(b.identity) as Identity)
        if (b.scopes !== undefined && b.scopes !== 'full' && b.scopes !== 'insufficient')
          throw new BadInput("scopes must be 'full' or 'insufficient'")
        st.user = newUser(randomRng(), {
          ...(identity ? { identity } : {}),
          ...(b.servers === undefined ? {} : { servers: serversOf(b.servers) }),
          ...(b.scopes ? { scopes: b.scopes as 'full' | 'insufficient' } : {}),
        })
        return json(200, { identity: st.user.identity })
      }
      case 'PUT consent': {
        const b = body()
        if (b.times !== undefined && (typeof b.times !== 'number' || b.times < 1))
          throw new BadInput('times must be a positive number')
        if (b.deny !== undefined && b.deny !== null && typeof b.deny !== 'string')
          throw new BadInput('deny must be an OAuth error code or null')
        st.consent = {
          deny:
            typeof b.deny === 'string'
              ? {
                  error: b.deny,
                  description:
                    typeof b.description === 'string' ? b.description : 'The user denied access',
                }
              : null,
          grantedScope: typeof b.grantedScope === 'string' ? b.grantedScope : null,
          tamperChallenge: b.tamperChallenge === true,
          times: typeof b.times === 'number' ? b.times : null,
        }
        return json(204)
      }
      case 'POST revoke-consent': {
        const subject = body().subject
        let revoked = 0
        for (const grant of st.grants.values())
          if (!grant.revoked && (subject === undefined || grant.account.identity.id === subject)) {
            grant.revoked = true
            revoked++
          }
        return json(200, { revoked })
      }
      case 'PUT settings': {
        const b = body()
        if (b.accessTokenTtl !== undefined) {
          if (typeof b.accessTokenTtl !== 'number' || b.accessTokenTtl < 1)
            throw new BadInput('accessTokenTtl must be a positive number of seconds')
          st.accessTokenTtl = b.accessTokenTtl
        }
        for (const [k, v] of Object.entries(b)) if (k !== 'accessTokenTtl') st.settings[k] = v
        return json(204)
      }
      default:
        return json(404, { error: `no control endpoint ${action}` })
    }
  }

  /** The OAuth endpoints get an account of their own, so the simulator core routes them. */
  const endpointAccount: Account = {
    credentials: { token: '(oauth endpoint)' },
    servers: [],
    scopes: 'full',
    identity: { id: 'oauth', name: 'OAuth endpoint', email: 'oauth@example.com' },
    revoked: false,
    latencyMs: 0,
    orderingDisabled: false,
  }

  const guarded =
    (handler: (req: SimRequest, now: number) => SimResponse) =>
    ({ req, now }: { req: SimRequest; now: number }) => {
      try {
        return handler(req, now)
      } catch (err: unknown) {
        if (err instanceof BadInput) return json(400, { error: err.message })
        throw err
      }
    }

  const controlRoutes: Route[] = [
    ['GET', ''],
    ['POST', 'clients'],
    ['PUT', 'user'],
    ['PUT', 'consent'],
    ['POST', 'revoke-consent'],
    ['PUT', 'settings'],
  ].map(([method, name]) => ({
    method: method as string,
    path: `${OAUTH_CONTROL_PREFIX}${name}`,
    handle: guarded(control),
  }))

  return {
    authenticate(req, now) {
      if (isEndpoint(req.url.pathname)) return { credential: null, account: endpointAccount }
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1]
      if (!bearer) return null
      const st = stateOf(req)
      const entry = st.accessTokens.get(bearer)
      if (!entry) return null
      const found = lookup(req, bearer, now)
      if (!found) {
        const expired = entry.expiresAt <= now && !st.grants.get(entry.grant)?.revoked
        return {
          credential: bearer,
          ...(expired && flavor.expiredToken ? { reject: flavor.expiredToken(req) } : {}),
        }
      }
      const { account, scope } = found.grant
      const narrowed = flavor.coversApi(scope)
        ? account
        : { ...account, scopes: 'insufficient' as const }
      return { credential: bearer, account: narrowed }
    },
    routes: [
      { method: 'GET', path: flavor.authorizePath, handle: guarded(authorize) },
      { method: 'POST', path: flavor.tokenPath, handle: guarded(token) },
      ...(flavor.revokePath
        ? [{ method: 'POST', path: flavor.revokePath, handle: guarded(revoke) }]
        : []),
      ...controlRoutes,
    ],
    lookup,
    setting: (req, name) => stateOf(req).settings[name],
    isOAuthUser: (account) => oauthUsers.has(account),
  }
}

/** Wraps a provider spec: its OAuth endpoints and tokens first, then its own auth and routes. */
export function withOAuth(spec: ProviderSpec, server: OAuthServer): ProviderSpec {
  return {
    ...spec,
    authenticate: (req, find, now) =>
      server.authenticate(req, now) ?? spec.authenticate(req, find, now),
    routes: [...server.routes, ...spec.routes],
  }
}
