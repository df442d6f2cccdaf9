import fp from 'fastify-plugin'
import jwt from '@fastify/jwt'
import cookie from '@fastify/cookie'
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { RevokedSessionEntity, type User, type UserRef } from '../../db/entities/index.js'
import type { Role } from '@cloudlink/shared'
import { forbidden, tokenScope, unauthenticated } from '../../errors.js'
import { publicUrl, type Config } from '../../config.js'
import type { Caller } from '../../domain/api-tokens/caller.js'
import { findActiveToken, recordTokenUse } from '../../domain/api-tokens/lookup.js'
import { hashApiToken } from '../../domain/api-tokens/token.js'
import { TokenUsage } from '../../domain/api-tokens/usage.js'
import { credentialOf, SESSION_COOKIE } from './credentials.js'

export { SESSION_COOKIE } from './credentials.js'
export type { Caller, TokenIdentity } from '../../domain/api-tokens/caller.js'
export const CSRF_COOKIE = 'cl_csrf'
export const CSRF_HEADER = 'x-csrf-token'
const SESSION_TTL_S = 12 * 60 * 60

interface SessionClaims {
  sub: string
  jti: string
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: SessionClaims
    user: SessionClaims
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Signs a session for the user, sets the cookies and returns what the API hands back. */
    startSession(reply: FastifyReply, user: User): Promise<{ token: string; expiresAt: string }>
    endSession(request: FastifyRequest, reply: FastifyReply): Promise<void>
    /**
     * Resolves the caller (a signed-in person or an API token) or throws UNAUTHENTICATED. With a
     * workspace id it also sets `request.role` (null for a non-member or a token) and the
     * workspace's revision in the same query.
     */
    authenticate(request: FastifyRequest, workspaceId?: string): Promise<Caller>
    /** The signed-in person; an API token gets 403 TOKEN_SCOPE (routes that act only for people). */
    authenticateUser(request: FastifyRequest): Promise<UserRef>
    /** Writes of API tokens' last use, off the request path. */
    tokenUsage: TokenUsage
  }
  interface FastifyRequest {
    /** Set by `authenticate`: who is calling. Null before, and on public routes. */
    caller: Caller | null
    /** The signed-in person; null for anonymous callers and API tokens. */
    currentUser: UserRef | null
    /**
     * The workspace's data revision (bumped by the database on every visible change to its cloud
     * accounts), read in the same round trip as the session on workspace routes; null elsewhere.
     */
    workspaceRevision: number | null
    session: (SessionClaims & { exp: number; via: 'header' | 'cookie' }) | null
  }
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

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
 * Session tokens: HS256 JWTs (algorithm pinned, so `alg: none` and key-confusion tokens fail),
 * accepted as a Bearer header or an httpOnly SameSite=Strict cookie. Cookie sessions also need a
 * double-submit CSRF token on state-changing requests; Bearer callers are immune to CSRF.
 * @see https://github.com/fastify/fastify-jwt
 */
export default fp(
  async (app) => {
    const secure = (app.config.PUBLIC_URL ?? '').startsWith('https://')
    await app.register(cookie)
    await app.register(jwt, {
      secret: app.config.JWT_SECRET as string,
      sign: { algorithm: 'HS256', expiresIn: SESSION_TTL_S },
      // fast-jwt remembers tokens it verified (never past their `exp`): a polling page presents
      // the same token every few seconds, and the HMAC check was the largest cost of a cached read.
      // A token without `exp` would never expire: refused, even when correctly signed.
      verify: { algorithms: ['HS256'], cache: 10_000, requiredClaims: ['exp', 'sub', 'jti'] },
    })

    // The CSRF token is derived from the session (an HMAC of its jti under a key of its own), so
    // a token planted in the cookie jar by a sibling site, or taken from another session, fails.
    const csrfKey = createHmac('sha256', app.config.JWT_SECRET as string)
      .update('cloudlink csrf token v1')
      .digest()
    const csrfFor = (jti: string) => createHmac('sha256', csrfKey).update(jti).digest('base64url')
    const cookieBase = { path: '/', sameSite: 'strict' as const, secure }
    const setCsrfCookie = (reply: FastifyReply, jti: string, expires: Date) =>
      // Readable by the SPA on purpose: it echoes the value in X-CSRF-Token.
      reply.setCookie(CSRF_COOKIE, csrfFor(jti), { ...cookieBase, expires, httpOnly: false })

    app.decorateRequest('caller', null)
    app.decorateRequest('currentUser', null)
    app.decorateRequest('session', null)
    app.decorateRequest('workspaceRevision', null)

    app.decorate('startSession', async (reply: FastifyReply, user: User) => {
      const jti = randomUUID()
      const token = app.jwt.sign({ sub: user.id, jti })
      const expiresAt = new Date(Date.now() + SESSION_TTL_S * 1000)
      reply.setCookie(SESSION_COOKIE, token, { ...cookieBase, expires: expiresAt, httpOnly: true })
      setCsrfCookie(reply, jti, expiresAt)
      return { token, expiresAt: expiresAt.toISOString() }
    })

    // A cookie session whose CSRF cookie is missing or stale (issued before tokens were bound to
    // sessions) gets the right one with its next answer, so the SPA heals without a new sign-in.
    app.addHook('onSend', (request, reply, payload, done) => {
      const session = request.session
      if (session?.via === 'cookie' && request.cookies[CSRF_COOKIE] !== csrfFor(session.jti))
        setCsrfCookie(reply, session.jti, new Date(session.exp * 1000))
      done(null, payload)
    })

    app.decorate('endSession', async (request: FastifyRequest, reply: FastifyReply) => {
      const session = request.session
      if (session) {
        const expiresAt = new Date(session.exp * 1000)
        await request.em.upsert(RevokedSessionEntity, { jti: session.jti, expiresAt })
        // Ended: nothing after this may re-issue its cookies.
        request.session = null
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/' })
      reply.clearCookie(CSRF_COOKIE, { path: '/' })
    })

    const usage = new TokenUsage({
      write: (tokenId, ip) => recordTokenUse(app.orm.em.fork(), tokenId, ip),
      onError: (err) => app.log.warn({ err }, 'recording an API token use failed'),
    })
    app.decorate('tokenUsage', usage)
    app.addHook('onClose', () => usage.settled())

    /**
     * An API token: one indexed query by its hash (reused by reads while the change feed vouches
     * for it, like a session check). Unknown, revoked and expired tokens get one answer.
     */
    async function authenticateToken(request: FastifyRequest, value: string, ws: string | null) {
      const hash = hashApiToken(value)
      const read = !UNSAFE_METHODS.has(request.method)
      let found = read ? app.readCache.lookupToken(hash) : undefined
      if (!found) {
        const ticket = app.readCache.ticket()
        const fromDb = await findActiveToken(request.em, hash)
        if (!fromDb) throw unauthenticated('API token is invalid, expired or revoked')
        if (read) app.readCache.storeToken(ticket, hash, fromDb)
        found = fromDb
      }
      const caller: Caller = { type: 'token', token: found.token }
      request.caller = caller
      if (ws) {
        request.role = null
        request.workspaceRevision = ws === found.token.workspaceId ? found.revision : null
      }
      usage.touch(found.token.id, request.ip)
      return caller
    }

    app.decorate('authenticate', async (request: FastifyRequest, workspaceId?: string) => {
      if (request.caller) return request.caller
      // Lower case, as the change feed announces it: the cache is keyed on the exact string.
      const ws = workspaceId && UUID.test(workspaceId) ? workspaceId.toLowerCase() : null
      const credential = credentialOf(request)
      if (!credential) throw unauthenticated()
      if (credential.kind === 'token') return authenticateToken(request, credential.value, ws)
      const { value: token, via } = credential
      let claims: SessionClaims & { exp: number }
      try {
        claims = app.jwt.verify<SessionClaims & { exp: number }>(token)
      } catch {
        // One answer for expired, tampered and malformed tokens: the reason helps only an attacker.
        throw unauthenticated('Session is invalid or expired; sign in again')
      }
      if (
        typeof claims.sub !== 'string' ||
        typeof claims.jti !== 'string' ||
        typeof claims.exp !== 'number'
      )
        throw unauthenticated()
      if (via === 'cookie' && UNSAFE_METHODS.has(request.method)) {
        // Two independent checks: where the request comes from, and a token only our pages hold.
        if (!sameOrigin(request, app.config))
          throw forbidden('Cross-site request refused: this page may not act for your session')
        const sent = request.headers[CSRF_HEADER]
        if (typeof sent !== 'string' || !safeEqual(sent, csrfFor(claims.jti)))
          throw forbidden('Missing or wrong CSRF token (X-CSRF-Token header)')
      }
      if (!UUID.test(claims.sub) || !UUID.test(claims.jti)) throw unauthenticated()
      const accept = (user: UserRef, role: Role | null, revision: number): Caller => {
        const caller: Caller = { type: 'user', user }
        request.caller = caller
        request.currentUser = user
        request.session = { ...claims, via }
        if (ws) {
          request.role = role
          request.workspaceRevision = revision
        }
        return caller
      }

      // Reads may reuse a recent check while the change feed vouches nothing changed; writes never.
      const read = !UNSAFE_METHODS.has(request.method)
      const cached = read ? app.readCache.lookup(claims.jti, ws) : undefined
      if (cached && cached.user.id === claims.sub)
        return accept(cached.user, cached.role, cached.revision)

      // One round trip for the user, the revocation check and (on workspace routes) the role.
      const ticket = app.readCache.ticket()
      const rows = await request.em.getConnection().execute<
        (UserRef & {
          revoked: boolean
          role: Role | null
          revision: string | null
        })[]
      >(
        `select u.id, u.email, u.name,
                exists (select 1 from revoked_sessions r where r.jti = ?) as revoked,
                (select m.role from memberships m where m.workspace_id = ? and m.user_id = u.id) as role,
                (select w.revision from workspace_revisions w where w.workspace_id = ?) as revision
         from users u where u.id = ?`,
        [claims.jti, ws, ws, claims.sub],
      )
      const row = rows[0]
      if (!row || row.revoked) throw unauthenticated('Session is invalid or expired; sign in again')
      // A plain object, not an ORM entity: hydrating one cost more than the whole query.
      const user: UserRef = { id: row.id, email: row.email, name: row.name }
      // No row yet means nothing was ever written in this workspace: revision 0.
      const revision = Number(row.revision ?? 0)
      if (read) app.readCache.store(ticket, claims.jti, ws, { user, role: row.role, revision })
      return accept(user, row.role, revision)
    })

    app.decorate('authenticateUser', async (request: FastifyRequest) => {
      const caller = await app.authenticate(request)
      if (caller.type === 'token')
        throw tokenScope('Only a signed-in person can do this; API tokens cannot')
      return caller.user
    })
  },
  { name: 'auth', dependencies: ['config', 'db', 'read-cache'] },
)
