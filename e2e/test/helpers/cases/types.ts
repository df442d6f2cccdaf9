import type { ProviderId } from '@cloudlink/shared'
import type { Credentials, Simulator } from '../../../src/simulators/index.js'

/** What the shared tests need to know about each provider: how to call it and what it answers. */
export interface ProviderCase {
  id: ProviderId
  format: Record<string, RegExp>
  /** The call an app makes to verify a credential. */
  verifyPath: string
  listPath: string
  /** providerServerIds in a list answer. */
  serverIds(body: unknown): string[]
  /** Headers that carry `c`; signed schemes build theirs per request in `send` instead. */
  authHeaders?(c: Credentials): Record<string, string>
  /**
   * Signed schemes: performs the request as `c`, signing method, URL and time, or first trading the
   * key for a token (TransIP). Returns the answer to the call (or to the refused token exchange).
   */
  send?(
    sim: Simulator,
    path: string,
    c: Credentials | undefined,
    init: RequestInit,
  ): Promise<Response>
  /** The headers that must reach the log (default: the keys of `authHeaders`). */
  credentialHeaders?: string[]
  /** Bodies that are not JSON (AWS XML), reduced to what the tests compare (no request ids). */
  parse?(text: string): unknown
  /** What the request log should record as the credential. */
  logged(c: Credentials): string
  unauthorized: { status: number; body: unknown }
  /** When a request with no credential at all gets another answer than an unknown one. */
  unauthorizedMissing?: { status: number; body: unknown }
  /** When a revoked credential gets another answer than an unknown one (per call: AWS's differ). */
  unauthorizedRevoked?: Record<'verify' | 'list', { status: number; body: unknown }>
  /** The answer to a rate-limit fault with retryAfter 7, and the headers that must come with it. */
  rateLimited: { status: number; body: unknown; headers: string[] }
}

/** One provider's case as its file writes it; the registry adds the id. */
export type CaseSpec = Omit<ProviderCase, 'id'>

export const bearer = (token: string | undefined) => ({ authorization: `Bearer ${token}` })
export const basic = (c: Credentials) => `${c.username}:${c.password}`
export const j = (body: unknown) => body as Record<string, unknown>
export const invalidCredential = {
  errorCode: 'INVALID_CREDENTIAL',
  httpCode: '403 Forbidden',
  message: 'This credential is not valid',
}
