import type { ProviderHttp } from './http.js'

/** An installation's OAuth app with one provider (OAUTH_<ID>_CLIENT_ID / _CLIENT_SECRET). */
export interface OAuthApp {
  clientId: string
  clientSecret: string
  /** `<PUBLIC_URL>/api/v1/oauth/<provider>/callback`: what the app registration must list. */
  redirectUri: string
}

/**
 * Everything a provider implementation may touch: no database, no vault, no Fastify. Its own file,
 * below both the module contract (types.ts) and the OAuth spec, so neither imports the other.
 */
export interface ProviderContext {
  http: ProviderHttp
  /** The installation's OAuth app for this provider; null while OAUTH_<ID>_CLIENT_ID/_SECRET are unset. */
  oauthApp?: () => OAuthApp | null
}
