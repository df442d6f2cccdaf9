import type { IncomingHttpHeaders } from 'node:http'
import type { FastifyRequest } from 'fastify'
import { API_TOKEN_HEADER } from '@cloudlink/shared'

const kProviderAuthorization = Symbol('provider authorization')
type WithStash = FastifyRequest & { [kProviderAuthorization]?: string }

/**
 * A provider SDK pointed at the broker sends its own Authorization (a SigV4 signature made with a
 * dummy key, a Basic login, a Bearer placeholder). With the Cloudlink token in X-Cloudlink-Token,
 * that header is the SDK's, not a second Cloudlink credential: it is set aside before access
 * control reads the request, and only the broker looks at it again (AWS names its region there).
 */
export function stashProviderAuthorization(request: FastifyRequest): void {
  const authorization = request.headers.authorization
  if (request.headers[API_TOKEN_HEADER] === undefined || authorization === undefined) return
  ;(request as WithStash)[kProviderAuthorization] = authorization
  delete request.headers.authorization
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
