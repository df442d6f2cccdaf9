import { ErrorCode } from '@cloudlink/shared'

/**
 * The one error type our code throws. The errors plugin turns it into the API's error shape;
 * `details` must never carry a secret.
 */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'ApiError'
  }
}

export const notFound = (what: string) => new ApiError(404, ErrorCode.NotFound, `${what} not found`)
export const forbidden = (message = 'Your role in this workspace does not allow this') =>
  new ApiError(403, ErrorCode.Forbidden, message)
export const unauthenticated = (message = 'Sign in to continue') =>
  new ApiError(401, ErrorCode.Unauthenticated, message)
export const conflict = (message: string, details?: unknown) =>
  new ApiError(409, ErrorCode.Conflict, message, details)
export const validationFailed = (field: string, message: string) =>
  new ApiError(400, ErrorCode.ValidationFailed, `${field}: ${message}`, [{ field, message }])
export const rateLimited = (message: string, retryAfter: number) =>
  new ApiError(429, ErrorCode.RateLimited, message, { retryAfter })
