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
