import { createHmac, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { forbidden } from '../../errors.js'
import { publicUrl, type Config } from '../../config.js'

export const CSRF_COOKIE = 'cl_csrf'
export const CSRF_HEADER = 'x-csrf-token'

const safeEqual = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

/**
 * Whether a cookie-carried write comes from our own pages. Browsers say so in Sec-Fetch-Site;
 * older ones send at least Origin, which must be this server (as the browser addressed it, or
 * PUBLIC_URL). A client that sends neither is no browser a page can drive: the CSRF token decides.
 */
function sameOrigin(request: FastifyRequest, config: Config): boolean {
  const site = request.headers['sec-fetch-site']
  if (site !== undefined) return site === 'same-origin'
  const origin = request.headers.origin
  if (origin === undefined) return true
  try {
    const { host, origin: normalized } = new URL(origin)
    // Read per request: with PORT=0 the public URL is only known once the server listens.
    return host === request.headers.host || normalized === new URL(publicUrl(config)).origin
  } catch {
    return false // `Origin: null` (sandboxed frames, some redirects) and anything unparsable
  }
}

/**
 * Double-submit CSRF tokens bound to the session: an HMAC of its jti under a key of its own, so a
 * token planted in the cookie jar by a sibling site, or taken from another session, fails.
 */
export function createCsrf(
  config: Config,
  cookieBase: { path: string; sameSite: 'strict'; secure: boolean },
) {
  const key = createHmac('sha256', config.JWT_SECRET as string)
    .update('cloudlink csrf token v1')
    .digest()
  const tokenFor = (jti: string) => createHmac('sha256', key).update(jti).digest('base64url')
  return {
    tokenFor,
    setCookie: (reply: FastifyReply, jti: string, expires: Date) =>
      // Readable by the SPA on purpose: it echoes the value in X-CSRF-Token.
      reply.setCookie(CSRF_COOKIE, tokenFor(jti), { ...cookieBase, expires, httpOnly: false }),
    /** Two independent checks: where the request comes from, and a token only our pages hold. */
    check(request: FastifyRequest, jti: string) {
      if (!sameOrigin(request, config))
        throw forbidden('Cross-site request refused: this page may not act for your session')
      const sent = request.headers[CSRF_HEADER]
      if (typeof sent !== 'string' || !safeEqual(sent, tokenFor(jti)))
        throw forbidden('Missing or wrong CSRF token (X-CSRF-Token header)')
    },
  }
}
