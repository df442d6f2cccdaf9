import type { ErrorCode, OAuthErrorCode } from '@cloudlink/shared'
import type { ClientErrorCode } from '@/api/client'

/** The headline for each API error code (`errors.<CODE>` in en.ts). */
export const apiErrors = {
  VALIDATION_FAILED: 'Some fields need another look.',
  UNAUTHENTICATED: "You're not signed in.",
  FORBIDDEN: "You don't have permission to do that.",
  NOT_FOUND: "That doesn't exist, or you don't have access to it.",
  CONFLICT: "That conflicts with what's already there.",
  ACCOUNT_MISMATCH: 'That credential belongs to a different provider account.',
  PROVIDER_REJECTED: 'The provider rejected the credential.',
  RATE_LIMITED: 'Too many attempts. Wait a moment and try again.',
  PROVIDER_UNREACHABLE: "Couldn't reach the provider.",
  PAYLOAD_TOO_LARGE: 'That is too large to send.',
  UNSUPPORTED_MEDIA_TYPE: "The server didn't accept the request format.",
  INTERNAL: 'Something went wrong on our side.',
  UNAVAILABLE: 'Cloudlink is temporarily unavailable.',
  TOKEN_SCOPE: "This API token isn't allowed to do that.",
  MFA_REQUIRED: 'Enter the code from your authenticator app.',
  REAUTH_REQUIRED: 'Confirm your password to continue.',
  NETWORK: "Couldn't reach Cloudlink. Check your connection and try again.",
  UNKNOWN: 'Something went wrong.',
} satisfies Record<ErrorCode | ClientErrorCode, string>

/**
 * What the cloud accounts page says for each `?oauthError=` the OAuth callback sends. Only these
 * sentences are ever shown: nothing from the address (see OAuthLandingQuerySchema). The details
 * (the provider's own words) are in the audit log.
 */
export const oauthErrors = {
  access_denied: 'Access was declined at the provider, so nothing was connected.',
  consent_required: 'The provider needs you to approve access. Start again and approve Cloudlink.',
  interaction_required: 'The provider needs you to finish signing in. Start again.',
  login_required: 'The provider needs you to sign in. Start again.',
  account_selection_required: 'The provider needs you to choose an account. Start again.',
  invalid_scope:
    "The provider didn't accept the permissions Cloudlink asks for. An administrator needs to check the OAuth app.",
  invalid_request:
    "The provider refused the authorization request. Check that you signed in with the right account or directory, then start again. The audit log has the provider's answer.",
  unauthorized_client:
    "The provider doesn't let this server's OAuth app connect. An administrator needs to check the OAuth app.",
  unsupported_response_type:
    "The provider didn't accept the authorization request. An administrator needs to check the OAuth app.",
  server_error: 'The provider had an internal error. Try again in a moment.',
  temporarily_unavailable: 'The provider is temporarily unavailable. Try again in a moment.',
  provider_error: 'Nothing was connected. Start again; the audit log has the details.',
  invalid_state: 'This authorization link was already used or is incomplete. Start again.',
  expired_state: 'The authorization took longer than 10 minutes. Start again.',
  browser_mismatch:
    'Finish the authorization in the browser, and at the address, where you started it.',
  forbidden: 'Only workspace owners can connect cloud accounts.',
  not_found: 'The cloud account to reconnect no longer exists.',
  not_available: 'One-click connect is not available on this server.',
  exchange_failed:
    "The provider refused to complete the authorization. Start again; the audit log has the provider's answer.",
  client_rejected:
    "The provider rejected this server's OAuth app. An administrator needs to check its client ID and secret.",
  no_refresh_token:
    "The provider didn't grant lasting access. Start again and allow Cloudlink to stay connected.",
  insufficient_scope:
    "The access you granted doesn't cover what Cloudlink needs. Start again and grant every permission asked for.",
  rejected:
    "The provider refused the connection, so nothing was connected. The audit log has the provider's reason.",
  unreachable: "Couldn't reach the provider to finish connecting. Try again in a moment.",
  already_connected: 'That provider account is already connected to this workspace.',
  account_mismatch:
    'You authorized a different provider account than the one being reconnected. The current connection is still in place.',
} satisfies Record<OAuthErrorCode, string>
