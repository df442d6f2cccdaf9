import type { FastifyServerOptions } from 'fastify'
import type { DestinationStream } from 'pino'

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Path or query parameters whose values are secrets (invitation and password-reset tokens,
     * OAuth codes): the request log shows `[redacted]` in their place. Declared on the route, so a
     * new route with a secret in its URL needs only this line.
     */
    secretParams?: readonly string[]
  }
}

export const REDACTED = '[redacted]'

/**
 * Paths pino censors at any depth we log. Secrets should never reach a log call in the first place;
 * this is the net under that rule.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'req.headers["x-cloudlink-token"]',
  'res.headers["set-cookie"]',
  ...[
    'password',
    'token',
    'credentials',
    'secret',
    'privateKey',
    'apiKey',
    'refreshToken',
    'accessToken',
  ].flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`, `*.*.*.*.${key}`]),
]

/**
 * The request URL as the log may show it: every path segment that the route pattern names as a
 * secret param, and every secret query parameter, replaced by `[redacted]`. When the pattern and
 * the path do not line up segment by segment (a param inside a segment, a wildcard), the pattern
 * itself is logged instead of the path: less detail, never the secret.
 */
export function redactUrl(
  url: string,
  pattern: string | undefined,
  secret: readonly string[] | undefined,
): string {
  if (!secret || secret.length === 0 || pattern === undefined) return url
  const names = new Set(secret)
  const mark = url.indexOf('?')
  const path = mark === -1 ? url : url.slice(0, mark)
  const query = mark === -1 ? '' : url.slice(mark + 1)

  const segments = path.split('/')
  const template = pattern.split('/')
  const isSecret = (segment: string) => segment.startsWith(':') && names.has(segment.slice(1))
  const whole = template.map(isSecret)
  // A secret param sharing a segment with other text (`:a-:b`) cannot be cut out reliably.
  const inside = template.some((s, i) => !whole[i] && [...names].some((n) => s.includes(`:${n}`)))
  const aligned = template.length === segments.length && !inside && !pattern.includes('*')
  const safePath = aligned
    ? segments.map((segment, i) => (whole[i] ? REDACTED : segment)).join('/')
    : pattern

  if (!query) return safePath
  const params = new URLSearchParams(query)
  let touched = false
  for (const name of names)
    if (params.has(name)) {
      params.set(name, REDACTED)
      touched = true
    }
  return `${safePath}?${touched ? params.toString() : query}`
}

interface LoggedRequest {
  method: string
  url: string
  host?: string
  ip?: string
  socket?: { remotePort?: number }
  routeOptions?: { url?: string; config?: { secretParams?: readonly string[] } }
}

/** Fastify's request serializer, with the URL redacted per route (`config.secretParams`). */
export function serializeRequest(req: LoggedRequest) {
  return {
    method: req.method,
    url: redactUrl(req.url, req.routeOptions?.url, req.routeOptions?.config?.secretParams),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  }
}

export function loggerOptions(
  level: string,
  stream?: DestinationStream,
): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers: { req: serializeRequest },
    ...(stream ? { stream } : {}),
  } as FastifyServerOptions['logger']
}
