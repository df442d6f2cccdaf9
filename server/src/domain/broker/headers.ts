import type { IncomingHttpHeaders } from 'node:http'
import { BROKER_PROXIED_HEADER } from '@cloudlink/shared'

/** RFC 9110 §7.6.1: they describe one connection, never the next hop's. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
])

/**
 * The caller's own credentials and whatever a provider reads as one: the broker applies the stored
 * credential instead, so none of these may reach the provider beside it.
 */
const CREDENTIALS = new Set([
  'authorization',
  'cookie',
  'x-auth-token',
  'x-api-key',
  // TransIP signs its token request in `Signature`.
  'signature',
])
const CREDENTIAL_PREFIXES = ['x-cloudlink-', 'x-ovh-', 'x-amz-', 'x-auth-', 'proxy-']

/**
 * Set by the broker itself (host, length) or about the caller's network, which the provider has no
 * business learning; `expect` would make the provider wait for a continue the broker never relays.
 */
const OURS = new Set([
  'host',
  'content-length',
  'expect',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-port',
  'x-real-ip',
  'via',
])

/** Never handed back: cookies, and what would describe our origin as if it were the provider's. */
const NOT_RETURNED = new Set(['set-cookie', 'set-cookie2', 'alt-svc', 'strict-transport-security'])

/** RFC 9110 token: anything else (HTTP/2 pseudo-headers such as `:authority`) is not a header. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/

/** Names listed in Connection, which are hop-by-hop for that message too. */
function connectionListed(headers: IncomingHttpHeaders): Set<string> {
  const value = [headers.connection ?? []].flat().join(',')
  return new Set(
    value
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  )
}

const joined = (value: string | string[]) => (Array.isArray(value) ? value.join(', ') : value)

/** What of the caller's headers goes on to the provider. */
export function forwardedRequestHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const listed = connectionListed(headers)
  const out: Record<string, string> = {}
  for (const [raw, value] of Object.entries(headers)) {
    const name = raw.toLowerCase()
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name) || OURS.has(name)) continue
    if (!TOKEN.test(name)) continue
    if (CREDENTIALS.has(name) || CREDENTIAL_PREFIXES.some((p) => name.startsWith(p))) continue
    out[name] = joined(value)
  }
  return out
}

/** What of the provider's answer goes back to the caller, marked as proxied. */
export function returnedHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const listed = connectionListed(headers)
  const out: Record<string, string | string[]> = {}
  for (const [raw, value] of Object.entries(headers)) {
    const name = raw.toLowerCase()
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name)) continue
    if (NOT_RETURNED.has(name) || name.startsWith('proxy-')) continue
    out[name] = value
  }
  out[BROKER_PROXIED_HEADER] = '1'
  return out
}

/** The caller's headers as one string per name (lower-case), for origin choice and schemes. */
export function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) out[name.toLowerCase()] = joined(value)
  return out
}
