import { ErrorCode, type FieldError, type VerifyResult } from '@cloudlink/shared'

/**
 * Each error code's HTTP status, declared once. Nothing else pairs a status with a code: our code
 * throws through the factories below, and the errors plugin maps Fastify's own 4xx with this table.
 */
export const STATUS_OF_CODE: Record<ErrorCode, number> = {
  [ErrorCode.ValidationFailed]: 400,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.AccountMismatch]: 409,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.UnsupportedMediaType]: 415,
  [ErrorCode.ProviderRejected]: 422,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.Internal]: 500,
  [ErrorCode.ProviderUnreachable]: 502,
  [ErrorCode.Unavailable]: 503,
  [ErrorCode.TokenScope]: 403,
  [ErrorCode.MfaRequired]: 401,
  [ErrorCode.ReauthRequired]: 403,
}

/**
 * The one error type our code throws; plain (no Fastify), so providers and the domain throw it too.
 * The errors plugin turns it into the API's error shape; `details` must never carry a secret.
 * Construct it through a factory below, so every code keeps its one status.
 */
export class ApiError extends Error {
  readonly statusCode: number

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'ApiError'
    this.statusCode = STATUS_OF_CODE[code]
  }
}

type Rejected = Extract<VerifyResult, { outcome: 'rejected' }>
type Unreachable = Extract<VerifyResult, { outcome: 'unreachable' }>

/** VALIDATION_FAILED names the field: `details` is `[{ field, message }]`. */
export const validationFailed = (field: string, message: string) =>
  new ApiError(ErrorCode.ValidationFailed, `${field}: ${message}`, [
    { field, message },
  ] satisfies FieldError[])
/** Whether an error is the VALIDATION_FAILED of `field` (e.g. a wrong current password). */
export const isFieldError = (err: unknown, field: string): boolean =>
  err instanceof ApiError &&
  err.code === ErrorCode.ValidationFailed &&
  Array.isArray(err.details) &&
  (err.details as FieldError[]).some((d) => d.field === field)
export const unauthenticated = (message = 'Sign in to continue') =>
  new ApiError(ErrorCode.Unauthenticated, message)
export const forbidden = (message = 'Your role in this workspace does not allow this') =>
  new ApiError(ErrorCode.Forbidden, message)
/** The action needs a fresh password or code confirmation (sudo mode): POST /auth/reauth. */
export const reauthRequired = () =>
  new ApiError(
    ErrorCode.ReauthRequired,
    'Confirm your password or a code of your second factor to do this',
  )
/** The password was right; `mfaToken` finishes the sign-in with a code (POST /auth/login/mfa). */
export const mfaRequired = (mfaToken: string) =>
  new ApiError(ErrorCode.MfaRequired, 'Enter a code from your authenticator app', { mfaToken })
/** A member without a second factor, in a workspace that requires one. */
export const mfaEnrolmentRequired = () =>
  new ApiError(
    ErrorCode.Forbidden,
    'This workspace requires a second factor: turn it on under Security first',
    { reason: 'mfa_enrolment' },
  )
/** An API token that works, used beyond what it may do (scope, accounts, read-only, route). */
export const tokenScope = (message: string) => new ApiError(ErrorCode.TokenScope, message)
export const notFound = (what: string) => new ApiError(ErrorCode.NotFound, `${what} not found`)
export const conflict = (message: string, details?: unknown) =>
  new ApiError(ErrorCode.Conflict, message, details)
/** A credential that works but belongs to another provider account than the one connected. */
export const accountMismatch = (
  message: string,
  details: { connected: unknown; presented: unknown },
) => new ApiError(ErrorCode.AccountMismatch, message, details)
export const payloadTooLarge = (message: string) => new ApiError(ErrorCode.PayloadTooLarge, message)
/** `retryAfter` (seconds) also becomes the Retry-After header. */
export const rateLimited = (message: string, retryAfter?: number) =>
  new ApiError(
    ErrorCode.RateLimited,
    message,
    retryAfter === undefined ? undefined : { retryAfter },
  )
/** The provider refused the credential: its reason, status and code are the details. */
export const providerRejected = (result: Rejected) =>
  new ApiError(ErrorCode.ProviderRejected, result.reason, {
    reason: result.reason,
    providerStatus: result.providerStatus,
    ...(result.providerCode ? { providerCode: result.providerCode } : {}),
  })
/** No verdict from the provider (down, slow, rate limited): nothing about the credential is known. */
export const providerUnreachable = (result: Unreachable) =>
  new ApiError(ErrorCode.ProviderUnreachable, result.message, {
    reason: result.reason,
    ...(result.retryAfter === undefined ? {} : { retryAfter: result.retryAfter }),
  })
