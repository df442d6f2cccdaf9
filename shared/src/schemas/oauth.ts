import { Type, type Static } from 'typebox'
import { ProviderIdSchema } from '../providers.js'
import { IdSchema } from './common.js'

/**
 * Authorization errors (RFC 6749 §4.1.2.1, OpenID Connect) that a provider sends back and the
 * callback passes on under their own name.
 */
export const OAUTH_PROVIDER_ERROR_CODES = [
  'access_denied',
  'consent_required',
  'interaction_required',
  'login_required',
  'account_selection_required',
  'invalid_scope',
  'invalid_request',
  'unauthorized_client',
  'unsupported_response_type',
  'server_error',
  'temporarily_unavailable',
] as const
export type OAuthProviderErrorCode = (typeof OAUTH_PROVIDER_ERROR_CODES)[number]

/** Every `?oauthError=` the callback sends: the provider's own code, or one of ours. */
export const OAUTH_ERROR_CODES = [
  ...OAUTH_PROVIDER_ERROR_CODES,
  'provider_error',
  'invalid_state',
  'expired_state',
  'browser_mismatch',
  'forbidden',
  'not_found',
  'not_available',
  'exchange_failed',
  'client_rejected',
  'no_refresh_token',
  'insufficient_scope',
  'rejected',
  'unreachable',
  'already_connected',
  'account_mismatch',
] as const
export type OAuthErrorCode = (typeof OAUTH_ERROR_CODES)[number]
export const OAuthErrorCodeSchema = Type.Enum(OAUTH_ERROR_CODES)

const codes = new Set<string>(OAUTH_ERROR_CODES)
const providerCodes = new Set<string>(OAUTH_PROVIDER_ERROR_CODES)

export const isOAuthErrorCode = (value: unknown): value is OAuthErrorCode =>
  typeof value === 'string' && codes.has(value)

export const isOAuthProviderErrorCode = (value: unknown): value is OAuthProviderErrorCode =>
  typeof value === 'string' && providerCodes.has(value)

/** The SPA page the OAuth callback always ends on (the SPA opens it in the last-used workspace). */
export const OAUTH_LANDING_PATH = '/settings/connections/cloud-accounts'

/**
 * The query the callback redirects to OAUTH_LANDING_PATH with: the connected account, or an error
 * code and the provider. Deliberately no free text: the SPA shows its own sentence for a known code
 * and nothing from the URL, so a crafted link cannot put words in the app's mouth. The details of a
 * failure are in the audit log.
 */
export const OAuthLandingQuerySchema = Type.Union([
  Type.Object({ connected: IdSchema }, { additionalProperties: false }),
  Type.Object(
    { oauthError: OAuthErrorCodeSchema, provider: ProviderIdSchema },
    { additionalProperties: false },
  ),
])
export type OAuthLandingQuery = Static<typeof OAuthLandingQuerySchema>
