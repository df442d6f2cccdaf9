import type { Provider, ProviderId } from '@cloudlink/shared'
import type { Config } from '../../../config.js'
import type { OAuthApp, OAuthSpec } from './spec.js'

/** The settings an OAuth app is built from (the recheck worker has them too). */
export type OAuthConfig = Pick<Config, 'oauth' | 'PUBLIC_URL' | 'HOST' | 'PORT'>

export const oauthEnvNames = (spec: OAuthSpec) => ({
  clientId: `OAUTH_${spec.envId}_CLIENT_ID`,
  clientSecret: `OAUTH_${spec.envId}_CLIENT_SECRET`,
})

export const callbackPath = (provider: ProviderId) => `/api/v1/oauth/${provider}/callback`

/** `<PUBLIC_URL>/api/v1/oauth/<provider>/callback` (the base follows publicUrl() in config.ts). */
export const redirectUri = (config: OAuthConfig, provider: ProviderId): string =>
  `${(config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`).replace(/\/$/, '')}${callbackPath(provider)}`

export function oauthConfigured(oauth: Record<string, string>, spec: OAuthSpec): boolean {
  const names = oauthEnvNames(spec)
  return Boolean(oauth[names.clientId] && oauth[names.clientSecret])
}

/** The installation's app for `provider`, or null while OAUTH_<ID>_CLIENT_ID/_SECRET are unset. */
export function oauthApp(
  config: OAuthConfig,
  provider: ProviderId,
  spec: OAuthSpec,
): OAuthApp | null {
  const names = oauthEnvNames(spec)
  const clientId = config.oauth[names.clientId]
  const clientSecret = config.oauth[names.clientSecret]
  if (!clientId || !clientSecret) return null
  return { clientId, clientSecret, redirectUri: redirectUri(config, provider) }
}

/**
 * Adds what GET /providers says about one-click connect: whether it is configured and, when not,
 * exactly what a self-hoster registers (the redirect URI to enter, the scopes to request). For a
 * provider that connects only through OAuth this is also its availability and its note.
 */
export function describeOAuth(provider: Provider, spec: OAuthSpec, config: OAuthConfig): Provider {
  const available = oauthConfigured(config.oauth, spec)
  const names = oauthEnvNames(spec)
  const note = available
    ? undefined
    : `One-click connect needs an OAuth app for this installation. Register one at ${spec.register.url} ` +
      `(${spec.register.steps}), enter the redirect URI ${redirectUri(config, provider.id)} and ` +
      `request the scopes ${spec.scopes.join(' ')}; then set ${names.clientId} and ` +
      `${names.clientSecret} and restart Cloudlink.`
  const oauth = { available, ...(note ? { note } : {}) }
  if (provider.authType !== 'oauth') return { ...provider, oauth }
  return { ...provider, available, ...(note ? { notes: note } : {}), oauth }
}
