import fp from 'fastify-plugin'
import jwt from '@fastify/jwt'
import cookie from '@fastify/cookie'
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { RevokedSessionEntity, type User, type UserRef } from '../../db/entities/index.js'
import type { Role } from '@cloudlink/shared'
import { forbidden, unauthenticated } from '../../errors.js'

export const SESSION_COOKIE = 'cl_session'
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
     * Resolves the signed-in user or throws UNAUTHENTICATED; with a workspace id it also sets
     * `request.role` (null for a non-member) in the same query.
     */
    authenticate(request: FastifyRequest, workspaceId?: string): Promise<UserRef>
  }
  interface FastifyRequest {
    currentUser: UserRef | null
    /**
     * The workspace's data revision (bumped by the database on every visible change to its cloud
     * accounts), read in the same round trip as the session on workspace routes; null elsewhere.
     */
    workspaceRevision: number | null
    session: (SessionClaims & { exp?: number; via: 'header' | 'cookie' }) | null
  }
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const safeEqual = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

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
      verify: { algorithms: ['HS256'], cache: 10_000 },
    })

    app.decorateRequest('currentUser', null)
    app.decorateRequest('session', null)
    app.decorateRequest('workspaceRevision', null)

    app.decorate('startSession', async (reply: FastifyReply, user: User) => {
      const token = app.jwt.sign({ sub: user.id, jti: randomUUID() })
      const expiresAt = new Date(Date.now() + SESSION_TTL_S * 1000)
      const base = { path: '/', sameSite: 'strict' as const, secure, expires: expiresAt }
      reply.setCookie(SESSION_COOKIE, token, { ...base, httpOnly: true })
      // Readable by the SPA on purpose: it echoes the value in X-CSRF-Token (double submit).
      reply.setCookie(CSRF_COOKIE, randomBytes(24).toString('base64url'), {
        ...base,
        httpOnly: false,
      })
      return { token, expiresAt: expiresAt.toISOString() }
    })

    app.decorate('endSession', async (request: FastifyRequest, reply: FastifyReply) => {
      const session = request.session
      if (session) {
        const em = request.em
        const expiresAt = new Date(
          (session.exp ?? Math.floor(Date.now() / 1000) + SESSION_TTL_S) * 1000,
        )
        await em.upsert(RevokedSessionEntity, { jti: session.jti, expiresAt })
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/' })
      reply.clearCookie(CSRF_COOKIE, { path: '/' })
    })

    app.decorate('authenticate', async (request: FastifyRequest, workspaceId?: string) => {
      if (request.currentUser) return request.currentUser
      const header = request.headers.authorization
      let token: string | undefined
      let via: 'header' | 'cookie' = 'header'
      if (header !== undefined) {
        const match = /^Bearer ([A-Za-z0-9._-]+)$/.exec(header)
        if (!match?.[1]) throw unauthenticated('Authorization header must be "Bearer <token>"')
        token = match[1]
      } else if (request.cookies[SESSION_COOKIE]) {
        token = request.cookies[SESSION_COOKIE]
        via = 'cookie'
      }
      if (!token) throw unauthenticated()
      let claims: SessionClaims & { exp?: number }
      try {
        claims = app.jwt.verify<SessionClaims & { exp?: number }>(token)
      } catch {
        // One answer for expired, tampered and malformed tokens: the reason helps only an attacker.
        throw unauthenticated('Session is invalid or expired; sign in again')
      }
      if (typeof claims.sub !== 'string' || typeof claims.jti !== 'string') throw unauthenticated()
      if (via === 'cookie' && UNSAFE_METHODS.has(request.method)) {
        const sent = request.headers[CSRF_HEADER]
        const expected = request.cookies[CSRF_COOKIE]
        if (typeof sent !== 'string' || !expected || !safeEqual(sent, expected))
          throw forbidden('Missing or wrong CSRF token (X-CSRF-Token header)')
      }
      if (!UUID.test(claims.sub) || !UUID.test(claims.jti)) throw unauthenticated()
      const ws = workspaceId && UUID.test(workspaceId) ? workspaceId : null
      const accept = (user: UserRef, role: Role | null, revision: number) => {
        request.currentUser = user
        request.session = { ...claims, via }
        if (ws) {
          request.role = role
          request.workspaceRevision = revision
        }
        return user
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
  },
  { name: 'auth', dependencies: ['config', 'db', 'read-cache'] },
)
