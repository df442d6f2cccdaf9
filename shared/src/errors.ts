import { Type, type Static } from 'typebox'

/** Single source for the API's error codes: the server throws them, the SPA translates them. */
export const ErrorCode = {
  ValidationFailed: 'VALIDATION_FAILED',
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  NotFound: 'NOT_FOUND',
  Conflict: 'CONFLICT',
  AccountMismatch: 'ACCOUNT_MISMATCH',
  ProviderRejected: 'PROVIDER_REJECTED',
  RateLimited: 'RATE_LIMITED',
  ProviderUnreachable: 'PROVIDER_UNREACHABLE',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  Internal: 'INTERNAL',
  Unavailable: 'UNAVAILABLE',
  TokenScope: 'TOKEN_SCOPE',
  MfaRequired: 'MFA_REQUIRED',
  ReauthRequired: 'REAUTH_REQUIRED',
} as const
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]

/**
 * Why a request failed, where one code covers several causes: sent as `details.reason`, so a
 * client can say which (the SPA has one sentence per reason, checked by its type).
 */
export const FAILURE_REASONS = [
  /** CONFLICT: the credential is already connected (`details.label` names the account). */
  'duplicate_credential',
  /** CONFLICT: the workspace would be left without an owner. */
  'last_owner',
  /** CONFLICT: the invited address already belongs to a member. */
  'already_member',
  /** CONFLICT: a signed-in user opened an invitation meant for another address. */
  'invitation_other_email',
  /** NOT_FOUND: the invitation was accepted already. */
  'invitation_used',
  /** NOT_FOUND: the invitation's week is over. */
  'invitation_expired',
  /** NOT_FOUND: no such invitation, or revoked (or, signed out, one for an existing account). */
  'invitation_invalid',
] as const
export type FailureReason = (typeof FAILURE_REASONS)[number]

/** `details` of an error that names its cause. */
export interface ReasonDetails {
  reason: FailureReason
}

export const ErrorResponseSchema = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.String(),
    message: Type.String(),
    requestId: Type.String(),
    details: Type.Optional(Type.Unknown()),
  },
  { $id: 'ErrorResponse' },
)
export type ErrorResponse = Static<typeof ErrorResponseSchema>

/** `details` of VALIDATION_FAILED: one entry per offending field. */
export interface FieldError {
  field: string
  message: string
}
