import { chars, seededRng, type Rng } from '../generate.js'
import { BadInput, json, matchPath } from '../http.js'
import type { Account, ProviderSpec, Route, SimRequest, SimResponse } from '../spec.js'
import type { Identity, Scopes, SimServer } from '../types.js'
import { createControl } from './oauth-control.js'
import { createEndpoints } from './oauth-endpoints.js'
import {
  OAUTH_CONTROL_PREFIX,
  plainConsent,
  type OAuthFlavor,
  type OAuthLookup,
  type OAuthServer,
  type ServerState,
} from './oauth-types.js'

export {
  OAUTH_CONTROL_PREFIX,
  type Grant,
  type OAuthFlavor,
  type OAuthLookup,
  type OAuthServer,
  type RefreshPolicy,
} from './oauth-types.js'

/**
 * An OAuth 2.0 authorization server (authorization code + PKCE, refresh, revoke) that a provider
 * simulator mounts beside its API. Tokens it issues authenticate against the same simulator's API.
 *
 * The simulator core keeps no per-instance state for provider files, so this keeps its own, keyed
 * by the port the request arrived on (one simulator per port). It is steered over HTTP under
 * `/__sim-oauth/` (register a client, switch the signed-in user, deny consent, revoke consent).
 * The protocol endpoints are in oauth-endpoints.ts, the control API in oauth-control.ts.
 */
export function createOAuthServer(
  flavor: OAuthFlavor,
  spec: Pick<ProviderSpec, 'newServer' | 'newIdentityId'>,
): OAuthServer {
  const states = new Map<string, ServerState>()
  const oauthUsers = new WeakSet<Account>()

  function newUser(
    rng: Rng,
    opts: { identity?: Identity; servers?: SimServer[]; scopes?: Scopes } = {},
  ): Account {
    const number = chars(rng, '0123456789', 6)
    const id = opts.identity?.id ?? spec.newIdentityId(rng)
    const account: Account = {
      credentials: { token: `oauth-user:${id}` },
      servers: opts.servers ?? [0, 1].map((i) => spec.newServer(rng, i)),
      scopes: opts.scopes ?? 'full',
      resources: {},
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

  const { authorize, token, revoke } = createEndpoints(flavor, stateOf)
  const control = createControl(stateOf, newUser)

  function lookup(req: SimRequest, token: string, now: number): OAuthLookup | null {
    const st = stateOf(req)
    const entry = st.accessTokens.get(token)
    const grant = entry && st.grants.get(entry.grant)
    if (!entry || !grant || grant.revoked || entry.expiresAt <= now) return null
    return { grant, expiresAt: entry.expiresAt }
  }

  /** The OAuth endpoints get an account of their own, so the simulator core routes them. */
  const endpointAccount: Account = {
    credentials: { token: '(oauth endpoint)' },
    servers: [],
    scopes: 'full',
    resources: {},
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
      // A grant that may only read sees the user's account with every capability at `read`.
      const narrowed = !flavor.coversApi(scope)
        ? { ...account, scopes: 'insufficient' as const }
        : flavor.readOnly?.(scope)
          ? { ...account, access: READ_ONLY }
          : account
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

const READ_ONLY = { compute: 'read', dns: 'read', storage: 'read' } as const

/** Wraps a provider spec: its OAuth endpoints and tokens first, then its own auth and routes. */
export function withOAuth(spec: ProviderSpec, server: OAuthServer): ProviderSpec {
  return {
    ...spec,
    authenticate: (req, find, now) =>
      server.authenticate(req, now) ?? spec.authenticate(req, find, now),
    routes: [...server.routes, ...spec.routes],
  }
}
