import type { IncomingHttpHeaders } from 'node:http'
import { getGlobalDispatcher, type Dispatcher } from 'undici'

/** A whole response as the provider sent it: status, undici's header object and the body text. */
export interface RawResponse {
  status: number
  headers: IncomingHttpHeaders
  text: string
}

/**
 * Why an exchange ended without a response: the deadline passed (`deadline`), the connection or
 * request failed before an answer (`connect`, with the cause), or the answer broke off (`body`).
 */
export class ExchangeError extends Error {
  constructor(
    readonly stage: 'deadline' | 'connect' | 'body',
    options?: { cause?: unknown },
  ) {
    super(`provider request failed (${stage})`, options)
    this.name = 'ExchangeError'
  }
}

/**
 * One request through undici's dispatcher with a deadline over the whole exchange (connect, answer
 * and body). Cheaper than `undici.request` for the sweep's small JSON answers: no Readable stream
 * per response and one plain timer instead of an `AbortSignal.timeout` (a weak-referenced signal
 * with listeners), about half the client's CPU per request. Nothing is retried or redirected.
 */
export function exchange(
  target: string,
  req: { method?: string; headers?: Record<string, string>; body?: string },
  userAgent: string | undefined,
  timeoutMs: number,
): Promise<RawResponse> {
  return new Promise<RawResponse>((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined
    let settled = false
    let status = 0
    let headers: IncomingHttpHeaders = {}
    const chunks: Buffer[] = []
    const settle = (err: ExchangeError | null) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      if (err) reject(err)
      else {
        const text = Buffer.concat(chunks).toString('utf8')
        // As fetch's text() decodes: a leading byte order mark is not part of the JSON.
        resolve({ status, headers, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text })
      }
    }
    const timer = setTimeout(() => {
      settle(new ExchangeError('deadline'))
      controller?.abort(new Error('deadline'))
    }, timeoutMs)
    // Like AbortSignal.timeout: a pending deadline alone does not keep the process alive.
    timer.unref()

    // A URL or header undici refuses is thrown here, as `request` would reject: a failed exchange.
    try {
      dispatch(target, req, userAgent, {
        onRequestStart(ctl) {
          controller = ctl
          // The deadline passed while the request waited for a connection: never send it.
          if (settled) ctl.abort(new Error('deadline'))
        },
        onResponseStart(_ctl, statusCode, responseHeaders) {
          status = statusCode
          headers = responseHeaders
        },
        onResponseData(_ctl, chunk) {
          chunks.push(chunk)
        },
        onResponseEnd() {
          settle(null)
        },
        onResponseError(_ctl, error) {
          settle(new ExchangeError(status ? 'body' : 'connect', { cause: error }))
        },
      })
    } catch (err: unknown) {
      settle(new ExchangeError('connect', { cause: err }))
    }
  })
}

function dispatch(
  target: string,
  req: { method?: string; headers?: Record<string, string>; body?: string },
  userAgent: string | undefined,
  handler: Dispatcher.DispatchHandler,
) {
  const url = new URL(target)
  getGlobalDispatcher().dispatch(
    {
      origin: url.origin,
      path: url.pathname + url.search,
      method: (req.method ?? 'GET') as Dispatcher.HttpMethod,
      headers: {
        accept: 'application/json',
        'user-agent': userAgent ?? 'Cloudlink/1.0',
        ...req.headers,
      },
      ...(req.body === undefined ? {} : { body: req.body }),
    },
    handler,
  )
}
