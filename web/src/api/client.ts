import type { ErrorResponse } from '@cloudlink/shared'

/** Codes for failures that never produced an API error envelope. */
export type ClientErrorCode = 'NETWORK' | 'UNKNOWN'

/** Any non-2xx answer (or no answer at all), as the UI sees it. */
export class ApiError extends Error {
  readonly status: number
  /** An ErrorCode from @cloudlink/shared, or a ClientErrorCode. */
  readonly code: string
  readonly requestId: string | null
  readonly details: unknown

  constructor(init: {
    status: number
    code: string
    message: string
    requestId?: string | null
    details?: unknown
  }) {
    super(init.message)
    this.name = 'ApiError'
    this.status = init.status
    this.code = init.code
    this.requestId = init.requestId ?? null
    this.details = init.details
  }
}

export const isApiError = (value: unknown): value is ApiError => value instanceof ApiError

/** Wraps anything thrown into an ApiError so stores expose one error type. */
export const toApiError = (value: unknown): ApiError =>
  isApiError(value)
    ? value
    : new ApiError({
        status: 0,
        code: 'UNKNOWN',
        message: value instanceof Error ? value.message : String(value),
      })

export type Query = Record<string, string | number | boolean | undefined | null>

export interface RequestOptions {
  body?: unknown
  query?: Query
  signal?: AbortSignal
  /** Ask for the password and retry on 403 REAUTH_REQUIRED (default true). */
  reauth?: boolean
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const CSRF_COOKIE = 'cl_csrf'

/**
 * Whether this browser holds a session cookie pair (the readable CSRF half is set and cleared with
 * the httpOnly session). A hint only, for skipping requests that would surely be refused.
 */
export function hasSessionCookie(): boolean {
  return readCookie(CSRF_COOKIE) !== null
}

function readCookie(name: string): string | null {
  if (typeof document === 'undefined') return null
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=')
    if (key === name) return decodeURIComponent(rest.join('='))
  }
  return null
}

function withQuery(path: string, query?: Query): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value))
  }
  const qs = params.toString()
  return qs ? `${path}?${qs}` : path
}

const isEnvelope = (value: unknown): value is ErrorResponse =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { code?: unknown }).code === 'string' &&
  typeof (value as { message?: unknown }).message === 'string'

type UnauthenticatedListener = (error: ApiError) => void
let onUnauthenticated: UnauthenticatedListener | null = null

/** Called for every 401, so an expired session sends the user back to the sign-in page. */
export function setUnauthenticatedListener(listener: UnauthenticatedListener | null): void {
  onUnauthenticated = listener
}

/** Asks the person to confirm their password or a code; resolves true once the server took it. */
export type ReauthHandler = () => Promise<boolean>
let onReauth: ReauthHandler | null = null

/**
 * Sudo mode for every action: a request answered 403 REAUTH_REQUIRED is retried once after the
 * handler (the reauth dialog) got a confirmation; cancelled, the original error stands.
 */
export function setReauthHandler(handler: ReauthHandler | null): void {
  onReauth = handler
}

type ForbiddenListener = (error: ApiError) => void
let onMfaEnrolment: ForbiddenListener | null = null

/** Called when a workspace refuses a person without a second factor (403, reason mfa_enrolment). */
export function setMfaEnrolmentListener(listener: ForbiddenListener | null): void {
  onMfaEnrolment = listener
}

const reasonOf = (error: ApiError): unknown =>
  typeof error.details === 'object' && error.details !== null
    ? (error.details as { reason?: unknown }).reason
    : undefined

/** The only place in the SPA that talks HTTP. Resolves with the parsed body (undefined for 204). */
export async function request<T>(
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  // Double-submit CSRF: the session cookie is httpOnly, its companion cl_csrf is readable on purpose.
  if (UNSAFE_METHODS.has(method)) {
    const csrf = readCookie(CSRF_COOKIE)
    if (csrf) headers['x-csrf-token'] = csrf
  }

  let response: Response
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    })
  } catch (err: unknown) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err
    throw new ApiError({
      status: 0,
      code: 'NETWORK',
      message: err instanceof Error ? err.message : 'Network request failed',
    })
  }

  if (response.status === 204) return undefined as T
  const text = await response.text()
  let data: unknown = undefined
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = undefined
    }
  }

  if (!response.ok) {
    const error = isEnvelope(data)
      ? new ApiError({
          status: response.status,
          code: data.code,
          message: data.message,
          requestId: data.requestId ?? null,
          details: data.details,
        })
      : new ApiError({
          status: response.status,
          code: 'UNKNOWN',
          message: `${response.status} ${response.statusText}`.trim(),
        })
    // MFA_REQUIRED is the sign-in's own second step, not an ended session.
    if (response.status === 401 && error.code !== 'MFA_REQUIRED') onUnauthenticated?.(error)
    if (error.code === 'REAUTH_REQUIRED' && options.reauth !== false && onReauth) {
      if (await onReauth()) return request<T>(method, path, { ...options, reauth: false })
    }
    if (response.status === 403 && reasonOf(error) === 'mfa_enrolment') onMfaEnrolment?.(error)
    throw error
  }
  return data as T
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'body'>) =>
    request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body }),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
}

/** Encodes one path segment (ids are UUIDs, tokens base64url; encoding is belt and braces). */
export const seg = (value: string): string => encodeURIComponent(value)
