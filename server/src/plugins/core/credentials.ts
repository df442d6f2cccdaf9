import type { FastifyRequest } from 'fastify'
import { API_TOKEN_HEADER, API_TOKEN_PREFIX } from '@cloudlink/shared'
import { unauthenticated } from '../../errors.js'
import { isApiTokenShape } from '../../domain/api-tokens/token.js'

export const SESSION_COOKIE = 'cl_session'

/** What a request presents: an API token, a session (JWT) from a header or the cookie, or nothing. */
export type Credential =
  | { kind: 'token'; value: string }
  | { kind: 'session'; value: string; via: 'header' | 'cookie' }
  | null

/**
 * The request's credential. An API token comes as `Authorization: Bearer clk_…` or
 * `X-Cloudlink-Token: clk_…`; a session as `Authorization: Bearer <jwt>` or the session cookie.
 * Both headers at once are refused: which one acts would be a guess. A token header wins over the
 * cookie: a script holding a token acts as the token, even from a browser that is signed in.
 */
export function credentialOf(request: FastifyRequest): Credential {
  const header = request.headers.authorization
  const tokenHeader = request.headers[API_TOKEN_HEADER]
  if (tokenHeader !== undefined) {
    if (header !== undefined)
      throw unauthenticated('Send one credential: an Authorization or an X-Cloudlink-Token header')
    if (typeof tokenHeader !== 'string' || !isApiTokenShape(tokenHeader))
      throw unauthenticated('X-Cloudlink-Token must be an API token (clk_…)')
    return { kind: 'token', value: tokenHeader }
  }
  if (header !== undefined) {
    const match = /^Bearer ([A-Za-z0-9._-]+)$/.exec(header)
    if (!match?.[1]) throw unauthenticated('Authorization header must be "Bearer <token>"')
    if (match[1].startsWith(API_TOKEN_PREFIX)) {
      if (!isApiTokenShape(match[1])) throw unauthenticated('API token is malformed')
      return { kind: 'token', value: match[1] }
    }
    return { kind: 'session', value: match[1], via: 'header' }
  }
  const cookie = request.cookies[SESSION_COOKIE]
  return cookie ? { kind: 'session', value: cookie, via: 'cookie' } : null
}

/** Whether the request carries an API token, well-formed or not (no parsing, no database). */
export function presentsApiToken(request: FastifyRequest): boolean {
  return (
    request.headers[API_TOKEN_HEADER] !== undefined ||
    (request.headers.authorization?.startsWith(`Bearer ${API_TOKEN_PREFIX}`) ?? false)
  )
}
