import { BROKER_ORIGIN_HEADER } from '@cloudlink/shared'
import { validationFailed } from '../../errors.js'
import type { BrokerScheme } from '../../providers/core/broker.js'

/**
 * Where a broker call goes, decided before any connection: one of the provider's named origins,
 * and a path that can only ever be a path on it. Everything a caller could use to reach another
 * host (an absolute URL, `//host`, userinfo, dot segments, their percent-encoded forms, backslashes
 * that some stacks read as slashes, control characters) is refused rather than cleaned up.
 */

/** The origin's name: `X-Cloudlink-Origin`, else what the scheme reads off the request, else the default. */
export function chooseOrigin(
  scheme: BrokerScheme,
  headers: Record<string, string>,
  providerName: string,
): string {
  const named = headers[BROKER_ORIGIN_HEADER]
  if (named !== undefined) {
    if (scheme.origins.includes(named)) return named
    throw validationFailed(
      BROKER_ORIGIN_HEADER,
      `${providerName} has no origin named "${named.slice(0, 60)}"; known: ${scheme.origins.slice(0, 8).join(', ')}${scheme.origins.length > 8 ? ', …' : ''}`,
    )
  }
  const implied = scheme.originFromRequest?.(headers)
  return implied !== undefined && scheme.origins.includes(implied) ? implied : scheme.defaultOrigin
}

const pathError = (message: string) => validationFailed('path', message)

/** `%2e`, `%2f`, `%5c`, `%40` and any encoded control character: refused wherever they appear. */
const ENCODED_FORBIDDEN = /%(2e|2f|5c|40|[01][0-9a-f]|7f)/i
const MALFORMED_ESCAPE = /%(?![0-9a-f]{2})/i
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\u0000-\u001f\u007f]/
const SCHEME = /^[a-z][a-z0-9+.-]*:/i

/**
 * Checks the raw path after `/proxy` (as the caller sent it, still percent-encoded) and returns it
 * as the path to forward: `/` plus its segments, unchanged.
 */
export function checkPath(raw: string): string {
  if (raw === '' || raw === '/') return '/'
  if (!raw.startsWith('/')) throw pathError('must start with /')
  if (CONTROL.test(raw)) throw pathError('must not contain control characters (CR, LF, …)')
  if (raw.includes('\\')) throw pathError('must not contain a backslash')
  if (raw.includes('@')) throw pathError('must not contain @')
  if (MALFORMED_ESCAPE.test(raw)) throw pathError('has a malformed percent-escape')
  if (ENCODED_FORBIDDEN.test(raw))
    throw pathError('must not carry encoded dots, slashes, backslashes, @ or control characters')
  const segments = raw.slice(1).split('/')
  // A trailing slash is a path of its own (`/v1/servers/`), not an empty segment.
  const inner = raw.endsWith('/') ? segments.slice(0, -1) : segments
  if (inner.some((s) => s === '')) throw pathError('must not contain // (an empty segment)')
  if (inner.some((s) => s === '.' || s === '..'))
    throw pathError('must not contain . or .. segments')
  if (SCHEME.test(segments[0] ?? '')) throw pathError('must be a path, not a URL')
  return raw
}

/** The raw query (without `?`): passed on as it is, but never with characters that end a line. */
export function checkQuery(raw: string): string {
  if (CONTROL.test(raw) || raw.includes('#'))
    throw validationFailed('query', 'must not contain control characters or #')
  if (MALFORMED_ESCAPE.test(raw)) throw validationFailed('query', 'has a malformed percent-escape')
  return raw
}

/**
 * The URL to contact: the origin's base plus the checked path and query, proven to still be on that
 * origin (scheme, host and port) with no userinfo before anything connects.
 */
export function targetUrl(base: string, path: string, query: string): URL {
  const origin = new URL(base)
  const url = new URL(`${origin.origin}${path}${query ? `?${query}` : ''}`)
  if (url.origin !== origin.origin || url.username || url.password)
    throw pathError('does not stay on the provider origin')
  return url
}
