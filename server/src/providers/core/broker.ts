import type { Credentials } from '@cloudlink/shared'
import type { ProviderContext } from './context.js'

/**
 * How the broker applies a stored credential to a request it forwards. Each provider folder holds
 * its own scheme (`<id>/broker.ts`); the broker (domain/broker) does everything else: which origin,
 * which headers survive, streaming, limits, the record of the call.
 */

/** The request as it will leave for the provider; `authorize` adds the credential to it. */
export interface OutgoingRequest {
  method: string
  /** The origin's name, one of the scheme's `origins` (AWS signs for the service it names). */
  origin: string
  /** The full target; its origin is fixed before `authorize` runs and checked after. */
  url: URL
  /** Lower-case names. The caller's own credentials were dropped before this point. */
  headers: Record<string, string>
  /** The exact bytes that will be sent, present only when the scheme signs the body. */
  body?: Buffer
}

/**
 * A cache the broker scopes to one stored credential of one account (a reconnect starts a new
 * one): provider tokens minted with the credential live here until they expire, never on disk.
 */
export interface BrokerCache {
  get<T>(key: string): T | undefined
  set(key: string, value: unknown, ttlMs: number): void
}

export interface BrokerContext extends ProviderContext {
  cache: BrokerCache
}

/** A short-lived credential minted by the provider itself (AWS STS). */
export interface ProviderSession {
  accessKeyId: string
  secretAccessKey: string
  sessionToken: string
  expiresAt: string
}

export interface BrokerScheme<C extends Credentials = Credentials> {
  /** Where a call goes when the caller names no origin. */
  defaultOrigin: string
  /** Names from the module's `origins` the broker may contact; nothing else is ever reached. */
  origins: readonly string[]
  /** The scheme signs the body (SigV4, OVH), so the broker must hold it whole (under its limit). */
  signsBody?: boolean
  /**
   * An origin read from the caller's own request (AWS: the credential scope of its SigV4 header,
   * signed with any dummy key). Only a name in `origins` is ever used.
   */
  originFromRequest?(headers: Record<string, string>): string | undefined
  /**
   * Applies the credential: headers only, never the URL. May call the provider first (TransIP
   * trades its key for a token, OVH reads the API's clock); throws RejectedError/UnreachableError.
   */
  authorize(ctx: BrokerContext, credentials: C, req: OutgoingRequest): Promise<void> | void
  /** A short-lived credential for tools that cannot use the broker (AWS STS GetSessionToken). */
  session?(ctx: ProviderContext, credentials: C, durationSeconds: number): Promise<ProviderSession>
}

/** The common case: one API origin, the credential as `Authorization: Bearer <token>`. */
export function bearerScheme<C extends Credentials>(
  token: (c: C) => string,
  origins: { defaultOrigin: string; origins: readonly string[] } = {
    defaultOrigin: 'api',
    origins: ['api'],
  },
): BrokerScheme<C> {
  return {
    ...origins,
    authorize(_ctx, c, req) {
      req.headers.authorization = `Bearer ${token(c)}`
    },
  }
}

/** `Authorization: Basic base64(user:password)` (RFC 7617). */
export const basicAuthorization = (username: string, password: string) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`
