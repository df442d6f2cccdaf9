import { vi } from 'vitest'

type Responder =
  { status: number; body?: unknown } | ((body: unknown) => { status: number; body?: unknown })

interface Expectation {
  method: string
  path: string
  responder: Responder
  once: boolean
  used: boolean
}

/**
 * A fetch stand-in for store tests: the real client and api modules run, but only the calls a test
 * declares are answered. Anything else rejects with "Unexpected API call: METHOD path" and is
 * reported again by verify(), so a stray request can't hide behind a store's error ref.
 */
export function mockApi() {
  const expectations: Expectation[] = []
  const unexpected: string[] = []
  const calls: { method: string; path: string; body: unknown; headers: Record<string, string> }[] =
    []

  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const method = (init.method ?? 'GET').toUpperCase()
    const path = String(input)
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined
    calls.push({ method, path, body, headers: (init.headers ?? {}) as Record<string, string> })
    const match = expectations.find(
      (e) => e.method === method && e.path === path && !(e.once && e.used),
    )
    if (!match) {
      const message = `Unexpected API call: ${method} ${path}`
      unexpected.push(message)
      throw new Error(message)
    }
    match.used = true
    const { status, body: payload } =
      typeof match.responder === 'function' ? match.responder(body) : match.responder
    return new Response(payload === undefined ? null : JSON.stringify(payload), {
      status,
      headers: { 'content-type': 'application/json' },
    })
  })
  vi.stubGlobal('fetch', fetchMock)

  const api = {
    calls,
    /** Answers METHOD path (exactly, query included) every time it is called. */
    on(method: string, path: string, responder: Responder) {
      expectations.push({ method, path, responder, once: false, used: false })
      return api
    },
    /** Answers METHOD path once; a second identical call is unexpected. */
    once(method: string, path: string, responder: Responder) {
      expectations.push({ method, path, responder, once: true, used: false })
      return api
    },
    verify() {
      if (unexpected.length) throw new Error(unexpected.join('\n'))
    },
  }
  return api
}

/** An error envelope as the server sends it. */
export const apiError = (statusCode: number, code: string, message: string, details?: unknown) => ({
  status: statusCode,
  body: {
    statusCode,
    code,
    message,
    requestId: 'req-1',
    ...(details === undefined ? {} : { details }),
  },
})
