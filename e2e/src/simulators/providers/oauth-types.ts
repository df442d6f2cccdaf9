import type { Rng } from '../generate.js'
import type { Account, AuthResult, Route, SimRequest, SimResponse } from '../spec.js'

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
  /** Whether a grant that covers the API may only read it (every capability at `read`). */
  readOnly?(scope: string): boolean
  /** Extra fields of a token answer (DigitalOcean's `info`). */
  tokenExtras?(grant: Grant): Record<string, unknown>
  /** Extra query parameters on the redirect back with a code (Entra's `session_state`). */
  redirectExtras?(grant: { scope: string }): Record<string, string>
  /** The token endpoint's error answer (RFC 6749 §5.2, plus the provider's own fields). */
  tokenError(status: number, error: string, description: string): SimResponse
  /** The API's answer to an access token that has expired (default: its unauthorized answer). */
  expiredToken?(req: SimRequest): SimResponse
}

export interface Code {
  clientId: string
  redirectUri: string
  challenge: string | null
  method: string | null
  scope: string
  account: Account
  expiresAt: number
}

export interface Consent {
  deny: { error: string; description: string } | null
  /** The scope the user lets through, narrower than asked (unticked boxes, a read-only grant). */
  grantedScope: string | null
  /** The code remembers a wrong PKCE challenge, so the exchange fails verification. */
  tamperChallenge: boolean
  /** Authorizations this consent applies to before it resets to plain consent; null: all. */
  times: number | null
}

export interface ServerState {
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

export const plainConsent = (): Consent => ({
  deny: null,
  grantedScope: null,
  tamperChallenge: false,
  times: null,
})
