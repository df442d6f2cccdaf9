import type { IncomingHttpHeaders } from 'node:http'
import type { FastifyRequest } from 'fastify'
import { API_TOKEN_HEADER, API_TOKEN_PREFIX } from '@cloudlink/shared'

const kProviderAuthorization = Symbol('provider authorization')
type WithStash = FastifyRequest & { [kProviderAuthorization]?: string }

/**
 * A provider SDK pointed at the broker sends its own Authorization (a SigV4 signature made with a
 * dummy key, a Basic login, a Bearer placeholder). With the Cloudlink token in X-Cloudlink-Token
 * (or carried where the SDK puts its secret, see tokenInProviderAuth), that header is the SDK's,
 * not a second Cloudlink credential: it is set aside before access control reads the request, and
 * only the broker looks at it again (AWS names its region there).
 */
export function stashProviderAuthorization(request: FastifyRequest): void {
  const authorization = request.headers.authorization
  if (request.headers[API_TOKEN_HEADER] === undefined) {
    const carried = tokenInProviderAuth(request.headers)
    if (carried === undefined) return
    request.headers[API_TOKEN_HEADER] = carried
  }
  if (authorization === undefined) return
  ;(request as WithStash)[kProviderAuthorization] = authorization
  delete request.headers.authorization
}

const SIGV4_KEY = /^AWS4-HMAC-SHA256\s+Credential=(clk_[0-9A-Za-z]+)\//

/**
 * The Cloudlink token where a provider's own client puts its secret, so the client needs no extra
 * header: the AWS access key id (the SigV4 credential scope; its secret is any dummy), either half
 * of a Basic login (Hetzner Robot, UpCloud), Scaleway's X-Auth-Token, OVH's consumer key. Only a
 * value that starts with `clk_` counts; it is then checked like any token.
 */
export function tokenInProviderAuth(headers: IncomingHttpHeaders): string | undefined {
  const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)
  const authorization = one(headers.authorization) ?? ''
  const sigv4 = SIGV4_KEY.exec(authorization)?.[1]
  if (sigv4) return sigv4
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/.exec(authorization)?.[1]
  if (basic) {
    const login = Buffer.from(basic, 'base64').toString('utf8').split(':')
    const found = login.find((part) => part.startsWith(API_TOKEN_PREFIX))
    if (found) return found
  }
  for (const name of ['x-auth-token', 'x-ovh-consumer']) {
    const value = one(headers[name])
    if (value?.startsWith(API_TOKEN_PREFIX)) return value
  }
  return undefined
}

/** The caller's headers as sent, the SDK's Authorization included (the broker drops it anyway). */
export function withProviderAuthorization(request: FastifyRequest): IncomingHttpHeaders {
  const stashed = (request as WithStash)[kProviderAuthorization]
  return stashed === undefined ? request.headers : { ...request.headers, authorization: stashed }
}

/** Segments of `/api/v1/workspaces/:id/cloud-accounts/:id/proxy` before the forwarded path. */
const PREFIX_SEGMENTS = 8

/**
 * The forwarded path and query exactly as the caller wrote them (still percent-encoded): the raw
 * URL after `/proxy`, never the router's decoded wildcard, so the broker checks what it sends.
 */
export function proxyParts(rawUrl: string): { path: string; query: string } {
  const mark = rawUrl.indexOf('?')
  const pathPart = mark < 0 ? rawUrl : rawUrl.slice(0, mark)
  const query = mark < 0 ? '' : rawUrl.slice(mark + 1)
  const rest = pathPart.split('/').slice(PREFIX_SEGMENTS)
  return { path: `/${rest.join('/')}`, query }
}
