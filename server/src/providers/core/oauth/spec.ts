import type { ProviderContext } from '../context.js'

export type { OAuthApp } from '../context.js'

/** A token endpoint's answer, reduced to what Cloudlink keeps. */
export interface TokenSet {
  accessToken: string
  /** Absent when the provider did not grant offline access (or keeps the old one on refresh). */
  refreshToken?: string
  /** Epoch milliseconds. */
  expiresAt: number
  scope?: string
}

/** A named origin of the provider (see ProviderModule.origins) and a path on it. */
export interface OAuthEndpoint {
  origin: string
  path: string
}

/** How a provider does OAuth: where to send the browser, where to trade codes and refresh tokens. */
export interface OAuthSpec {
  /** The `<ID>` of OAUTH_<ID>_CLIENT_ID / _CLIENT_SECRET. */
  envId: string
  authorize: OAuthEndpoint
  token: OAuthEndpoint
  scopes: string[]
  /** Extra authorization parameters (offline access, consent prompt, response mode). */
  authorizeParams?: Record<string, string>
  /** Extra parameters of every token request (Entra ID wants the scope again). */
  tokenParams?: Record<string, string>
  /**
   * The refresh token is spent by a refresh (DigitalOcean, Linode): the new one must be stored
   * before anything else can go wrong, or the grant is lost.
   */
  rotatesRefreshToken: boolean
  /** Where a self-hoster registers the OAuth app, and the steps there (shown while unconfigured). */
  register: { url: string; steps: string }
  /**
   * Proves a fresh token set and names the provider identity it belongs to: stable across grants
   * and refreshes, so fingerprints, hints and the reconnect check rest on it, never on a token.
   * Throws RejectedError (refused, missing scope) or UnreachableError.
   */
  identify(ctx: ProviderContext, tokens: TokenSet): Promise<{ subject: string }>
}
