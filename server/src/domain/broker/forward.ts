import type { Readable } from 'node:stream'
import { request, type Dispatcher } from 'undici'
import { ApiError } from '../../errors.js'
import { providerUnreachable } from '../../errors.js'
import { unreachable } from '../../providers/core/http.js'
import { BodyTooLarge, tooLarge } from './body.js'

export interface Forward {
  method: string
  url: URL
  headers: Record<string, string>
  body: Buffer | Readable | null
  /** Until the provider's answer starts, and then between two chunks of it. */
  timeoutMs: number
  /** Aborted when the caller goes away: the provider call ends with it. */
  signal: AbortSignal
  providerName: string
}

const causeOf = (err: unknown, depth = 0): BodyTooLarge | undefined => {
  if (err instanceof BodyTooLarge) return err
  if (depth > 4 || !err || typeof err !== 'object' || !('cause' in err)) return undefined
  return causeOf(err.cause, depth + 1)
}

const codeOf = (err: unknown): string | undefined =>
  err && typeof err === 'object' && 'code' in err && typeof err.code === 'string'
    ? err.code
    : undefined

/**
 * One request to the provider with undici, the body streamed (or the signed bytes sent), the answer
 * handed back unread so it streams on to the caller. No redirect is followed: a 3xx goes back as
 * it is, and the next request comes through the broker again. A refused connection, a timeout or
 * a reset is 502 PROVIDER_UNREACHABLE; nothing else about the provider is judged here.
 */
export async function forward(f: Forward): Promise<Dispatcher.ResponseData> {
  const deadline = new AbortController()
  const timer = setTimeout(() => deadline.abort(), f.timeoutMs)
  try {
    return await request(f.url, {
      method: f.method as Dispatcher.HttpMethod,
      headers: f.headers,
      body: f.body,
      signal: AbortSignal.any([f.signal, deadline.signal]),
      headersTimeout: f.timeoutMs,
      bodyTimeout: f.timeoutMs,
    })
  } catch (err: unknown) {
    if (causeOf(err)) throw tooLarge()
    if (err instanceof ApiError) throw err
    const seconds = Math.round(f.timeoutMs / 1000)
    const timedOut = deadline.signal.aborted || codeOf(err) === 'UND_ERR_HEADERS_TIMEOUT'
    if (timedOut)
      throw providerUnreachable(
        unreachable('timeout', `${f.providerName} did not answer within ${seconds} s`),
      )
    const code = codeOf(err) ?? codeOf((err as { cause?: unknown } | null)?.cause)
    throw providerUnreachable(
      unreachable(
        'network',
        f.signal.aborted
          ? 'The caller went away before the provider answered'
          : `Could not connect to ${f.providerName}${code ? ` (${code})` : ''}`,
      ),
    )
  } finally {
    clearTimeout(timer)
  }
}
