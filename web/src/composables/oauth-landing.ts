import type { LocationQuery } from 'vue-router'
import {
  isOAuthErrorCode,
  PROVIDER_IDS,
  type OAuthErrorCode,
  type ProviderId,
} from '@cloudlink/shared'

/** What the OAuth callback's redirect to the cloud accounts page says (OAuthLandingQuerySchema). */
export type OAuthLanding =
  | { outcome: 'connected'; accountId: string }
  /** `code` and `provider` are null when the address carries something we don't know. */
  | { outcome: 'failed'; code: OAuthErrorCode | null; provider: ProviderId | null }

const single = (value: LocationQuery[string] | undefined): string | null =>
  typeof value === 'string' ? value : null

const isProviderId = (value: string | null): value is ProviderId =>
  (PROVIDER_IDS as readonly (string | null)[]).includes(value)

/**
 * Reads the landing from the page's query, or null when it has none. Anyone can send a link with
 * any query, so only known codes and provider ids are kept and every other parameter (an old
 * server's `message`, a crafted sentence) is ignored.
 */
export function readOAuthLanding(query: LocationQuery): OAuthLanding | null {
  const connected = single(query.connected)
  if (connected) return { outcome: 'connected', accountId: connected }
  if (!('oauthError' in query)) return null
  const code = single(query.oauthError)
  const provider = single(query.provider)
  return {
    outcome: 'failed',
    code: isOAuthErrorCode(code) ? code : null,
    provider: isProviderId(provider) ? provider : null,
  }
}
