import type { IncomingHttpHeaders } from 'node:http'
import { exchange, ExchangeError, type RawResponse } from './exchange.js'
import type { UnreachableReason, VerifyResult } from '@cloudlink/shared'

/** What a provider module reads of a response's headers (a WHATWG `Headers` is one). */
export interface ResponseHeaders {
  get(name: string): string | null
}

export interface ProviderResponse {
  status: number
  headers: ResponseHeaders
  text: string
  /** The parsed body, or undefined when it is not JSON. */
  json: unknown
}

export type Unreachable = Extract<VerifyResult, { outcome: 'unreachable' }>

export class UnreachableError extends Error {
  constructor(readonly result: Unreachable) {
    super(result.message)
    this.name = 'UnreachableError'
  }
}

export const unreachable = (
  reason: UnreachableReason,
  message: string,
  retryAfter?: number,
): Unreachable => ({
  outcome: 'unreachable',
  reason,
  message,
  ...(retryAfter === undefined ? {} : { retryAfter }),
})

export interface RequestOptions {
  method?: string
  headers?: Record<string, string>
  body?: string
}

export interface ProviderHttp {
  /** Builds the URL for a named origin of the provider, honouring PROVIDER_URL_<ID>. */
  url(origin: string, path: string): string
  /**
   * One request with a deadline and no retries: a verify must answer within the deadline, and
   * retrying a rejected login can lock the caller out (Hetzner Robot blocks the IP after 3).
   * Throws UnreachableError for timeouts, network errors, 5xx, 429 and unparseable bodies.
   */
  request(origin: string, path: string, opts?: RequestOptions): Promise<ProviderResponse>
}

/** Seconds to wait, from Retry-After (seconds or HTTP date) or a RateLimit-Reset epoch. */
export function retryAfterSeconds(headers: ResponseHeaders, now = Date.now()): number | undefined {
  const retry = headers.get('retry-after')
  if (retry) {
    const seconds = Number(retry)
    if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds))
    const date = Date.parse(retry)
    if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - now) / 1000))
  }
  const reset = headers.get('ratelimit-reset') ?? headers.get('x-ratelimit-reset')
  if (reset) {
    const value = Number(reset)
    if (Number.isFinite(value)) {
      // Some providers send an epoch, others a delta in seconds.
      return Math.max(0, Math.ceil(value > 1e9 ? value - now / 1000 : value))
    }
  }
  return undefined
}

/**
 * The response's headers as undici parsed them (names lower-cased), read like `Headers.get`:
 * several values of one name joined with ", ". Building a WHATWG Headers for every response (each
 * append validated) cost more than the rest of a request's handling, and only `get` is ever used.
 */
export function readHeaders(raw: IncomingHttpHeaders): ResponseHeaders {
  return {
    get(name) {
      const value = raw[name.toLowerCase()]
      if (value === undefined) return null
      return Array.isArray(value) ? value.join(', ') : value
    },
  }
}

/**
 * The body as JSON, or undefined when it is not. An XML or HTML answer (every AWS response, a
 * proxy's error page) is not even tried: a failed JSON.parse builds a SyntaxError quoting the text,
 * and for AWS that cost more of the sweep's CPU than the rest of handling the response.
 */
function parseJson(text: string): unknown {
  if (text.length === 0 || XML_OR_HTML.test(text)) return undefined
  try {
    return UNSTORABLE.test(text) ? JSON.parse(text, storable) : JSON.parse(text)
  } catch {
    return undefined
  }
}
const XML_OR_HTML = /^\s*</

/**
 * JSON may escape a NUL or half a surrogate pair; PostgreSQL stores neither (text refuses NUL,
 * jsonb both), so a provider's odd name or message would fail the write of its account's verdict
 * every time. Bodies with such escapes (rare: the test is one scan) have their strings cleaned.
 */
const UNSTORABLE = /\\u(?:0000|[dD][89a-fA-F])/
const storable = (_key: string, value: unknown) =>
  typeof value === 'string' ? storableText(value) : value

/** Text PostgreSQL can store: NUL dropped, a lone surrogate replaced (U+FFFD). */
export const storableText = (text: string) => text.replaceAll('\u0000', '').toWellFormed()

function causeCode(err: unknown): string | undefined {
  let current: unknown = err
  for (let depth = 0; depth < 4 && current; depth++) {
    if (
      typeof current === 'object' &&
      current !== null &&
      'code' in current &&
      typeof current.code === 'string'
    )
      return current.code
    current =
      typeof current === 'object' && current !== null && 'cause' in current
        ? current.cause
        : undefined
  }
  return undefined
}

export function createProviderHttp(opts: {
  providerName: string
  origins: Record<string, string>
  override: string | undefined
  timeoutMs: number
  userAgent?: string
}): ProviderHttp {
  const base = (origin: string) => {
    const real = opts.origins[origin]
    if (!real) throw new Error(`unknown origin ${origin} for ${opts.providerName}`)
    return opts.override ?? real
  }
  const url = (origin: string, path: string) => `${base(origin)}${path}`

  return {
    url,
    async request(origin, path, req = {}) {
      let response: RawResponse
      try {
        response = await exchange(url(origin, path), req, opts.userAgent, opts.timeoutMs)
      } catch (err: unknown) {
        if (!(err instanceof ExchangeError)) throw err
        if (err.stage === 'deadline')
          throw new UnreachableError(
            unreachable(
              'timeout',
              `${opts.providerName} did not answer within ${Math.round(opts.timeoutMs / 1000)} s`,
            ),
          )
        if (err.stage === 'body')
          throw new UnreachableError(
            unreachable('network', `${opts.providerName} stopped answering mid-response`),
          )
        const code = causeCode(err.cause)
        throw new UnreachableError(
          unreachable(
            'network',
            `Could not connect to ${opts.providerName}${code ? ` (${code})` : ''}`,
          ),
        )
      }
      const { status, text } = response
      const headers = readHeaders(response.headers)
      if (status === 429)
        throw new UnreachableError(
          unreachable(
            'rate_limited',
            `${opts.providerName} is rate limiting requests`,
            retryAfterSeconds(headers),
          ),
        )
      if (status >= 500)
        throw new UnreachableError(
          unreachable(
            'server_error',
            `${opts.providerName} answered with a server error (HTTP ${status})`,
            retryAfterSeconds(headers),
          ),
        )
      return { status, headers, text, json: parseJson(text) }
    },
  }
}

/** A 2xx whose body we cannot read is not a verdict on the credential. */
export function expectJson<T>(providerName: string, res: ProviderResponse): T {
  if (res.json === undefined || res.json === null || typeof res.json !== 'object')
    throw new UnreachableError(
      unreachable('server_error', `${providerName} sent a response that could not be read`),
    )
  return res.json as T
}
