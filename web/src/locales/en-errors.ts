import type { ErrorCode, FailureReason, OAuthErrorCode } from '@cloudlink/shared'
import type { ClientErrorCode } from '@/api/client'

/**
 * One sentence per API error code: what happened and what to do (`errors.<CODE>` in en.ts). The
 * request id and the server's own words go into the alert's details, never into the sentence.
 */
export const apiErrors = {
  VALIDATION_FAILED: 'Some fields need another look. Correct the ones named here and send again.',
  UNAUTHENTICATED: "You're not signed in, or your session ended. Sign in and try again.",
  FORBIDDEN:
    "Your role in this workspace doesn't allow this. Ask an owner to do it, or to make you an owner.",
  NOT_FOUND:
    "That isn't here any more, or you don't have access to it. Reload the page to see what's current.",
  CONFLICT:
    "That clashes with what's already there. Reload the page to see the current state, then try again.",
  ACCOUNT_MISMATCH:
    'That credential belongs to a different provider account. Use a credential of the connected account, or connect the other one as a new account.',
  PROVIDER_REJECTED:
    "The provider refused the credential. Check in the provider's console that it is active and has the permissions listed, then paste it again.",
  RATE_LIMITED: 'Too many attempts in a short time. Wait a minute, then try again.',
  PROVIDER_UNREACHABLE:
    "Couldn't reach the provider, so nothing was changed. This is usually temporary: try again in a few minutes.",
  PAYLOAD_TOO_LARGE: 'That is too large to send. Shorten it and try again.',
  UNSUPPORTED_MEDIA_TYPE:
    "The server didn't accept the request's format. Reload the page and try again.",
  INTERNAL:
    'Something went wrong on our side. Try again; if it keeps happening, give the request ID in the details to your administrator.',
  UNAVAILABLE: 'Cloudlink is starting or restarting. Try again in a minute.',
  TOKEN_SCOPE: "This API token isn't allowed to do that.",
  MFA_REQUIRED: 'Enter the code from your authenticator app.',
  REAUTH_REQUIRED: 'Confirm your password to continue.',
  NETWORK: "Couldn't reach Cloudlink. Check your connection and try again.",
  UNKNOWN: 'Something went wrong. Try again; if it keeps happening, reload the page.',
} satisfies Record<ErrorCode | ClientErrorCode, string>

/**
 * One sentence per cause, where a code covers several (`details.reason` of the answer): what
 * happened and what to do. `{label}` is the account a duplicate credential is connected as.
 */
export const errorReasons = {
  duplicate_credential:
    'This credential is already connected as "{label}". Use that account, or paste a different credential.',
  last_owner:
    'A workspace needs at least one owner. Make someone else an owner first, then change or remove this one.',
  already_member:
    'That person is already a member of this workspace. Change their role in the list instead.',
  invitation_other_email:
    'This invitation is for another email address. Sign out, then open the link again, or ask for an invitation to your address.',
  invitation_used:
    'This invitation was already accepted. If that was you, sign in; otherwise ask an owner for a new link.',
  invitation_expired:
    'This invitation has expired (links work for 7 days). Ask an owner for a new link.',
  invitation_invalid:
    "This invitation link isn't valid: it was revoked, or it is incomplete. If you already have an account, sign in to accept it; otherwise ask an owner for a new link.",
} satisfies Record<FailureReason, string>

/** The alert's disclosure for support: the server's words, the code, the request id. */
export const errorAlert = {
  details: 'Details',
  errorCode: 'Error code: {code}',
}

/** Sentences for one form, where its context says more than the code. */
export const contextErrors = {
  /** A failed sign-in: nothing about signing out, and nothing that tells which of the two was wrong. */
  wrongLogin: 'Wrong email or password. Check both and try again.',
}

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
