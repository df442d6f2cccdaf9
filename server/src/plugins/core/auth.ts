import fp from 'fastify-plugin'
import jwt from '@fastify/jwt'
import cookie from '@fastify/cookie'
import { randomUUID } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { User, UserRef } from '../../db/entities/index.js'
import { tokenScope, unauthenticated } from '../../errors.js'
import type { Caller } from '../../domain/api-tokens/caller.js'
import { findActiveToken, recordTokenUse } from '../../domain/api-tokens/lookup.js'
import { hashApiToken } from '../../domain/api-tokens/token.js'
import { TokenUsage } from '../../domain/api-tokens/usage.js'
import { checkSession, type SessionCheck } from '../../domain/sessions/session-check.js'
import {
  createSession,
  endSession,
  recordSessionSeen,
  SESSION_TTL_MS,
} from '../../domain/sessions/sessions-service.js'
import { credentialOf, SESSION_COOKIE } from './credentials.js'
import { createCsrf, CSRF_COOKIE } from './csrf.js'

export { SESSION_COOKIE } from './credentials.js'
export { CSRF_COOKIE, CSRF_HEADER } from './csrf.js'
export type { Caller, TokenIdentity } from '../../domain/api-tokens/caller.js'

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

/** The signed-in session of a request: its token's claims and what its row says. */
export interface RequestSession extends SessionClaims {
  exp: number
  via: 'header' | 'cookie'
  /** Last password or code confirmation, ms since the epoch (the sign-in counts): sudo mode. */
  reauthAt: number
  /** The person has a confirmed second factor. */
  mfa: boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Records a session row for the user, signs its token, sets the cookies and returns what the
     * API hands back.
     */
    startSession(
      request: FastifyRequest,
      reply: FastifyReply,
      user: User,
    ): Promise<{ token: string; expiresAt: string }>
    endSession(request: FastifyRequest, reply: FastifyReply): Promise<void>
    /**
     * Resolves the caller (a signed-in person or an API token) or throws UNAUTHENTICATED. With a
     * workspace id it also sets `request.role` (null for a non-member or a token), the workspace's
     * MFA rule and its revision in the same query.
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
    /** Whether the route's workspace requires a second factor; null off workspace routes. */
    workspaceRequiresMfa: boolean | null
    session: RequestSession | null
  }
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const ENDED = 'Session is invalid or expired; sign in again'

/**
 * Session tokens: HS256 JWTs (algorithm pinned, so `alg: none` and key-confusion tokens fail),
 * accepted as a Bearer header or an httpOnly SameSite=Strict cookie, and honoured only while their
 * session row is open. Cookie sessions also need a double-submit CSRF token on state-changing
 * requests; Bearer callers are immune to CSRF.
 * @see https://github.com/fastify/fastify-jwt
 */
export default fp(
  async (app) => {
    const secure = (app.config.PUBLIC_URL ?? '').startsWith('https://')
    await app.register(cookie)
    await app.register(jwt, {
      secret: app.config.JWT_SECRET as string,
      sign: { algorithm: 'HS256', expiresIn: Math.floor(SESSION_TTL_MS / 1000) },
      // fast-jwt remembers tokens it verified (never past their `exp`): a polling page presents
      // the same token every few seconds, and the HMAC check was the largest cost of a cached read.
      // A token without `exp` would never expire: refused, even when correctly signed.
      verify: { algorithms: ['HS256'], cache: 10_000, requiredClaims: ['exp', 'sub', 'jti'] },
    })

    const cookieBase = { path: '/', sameSite: 'strict' as const, secure }
    const csrf = createCsrf(app.config, cookieBase)

    app.decorateRequest('caller', null)
    app.decorateRequest('currentUser', null)
    app.decorateRequest('session', null)
    app.decorateRequest('workspaceRevision', null)
    app.decorateRequest('workspaceRequiresMfa', null)

    app.decorate(
      'startSession',
      async (request: FastifyRequest, reply: FastifyReply, user: User) => {
        const ua = request.headers['user-agent']
        const { id: jti, expiresAt } = await createSession(request.em, {
          id: randomUUID(),
          userId: user.id,
          ip: request.ip,
          userAgent: typeof ua === 'string' ? ua : null,
        })
        const token = app.jwt.sign({ sub: user.id, jti })
        reply.setCookie(SESSION_COOKIE, token, {
          ...cookieBase,
          expires: expiresAt,
          httpOnly: true,
        })
        csrf.setCookie(reply, jti, expiresAt)
        return { token, expiresAt: expiresAt.toISOString() }
      },
    )

    // A cookie session whose CSRF cookie is missing or stale (issued before tokens were bound to
    // sessions) gets the right one with its next answer, so the SPA heals without a new sign-in.
    app.addHook('onSend', (request, reply, payload, done) => {
      const session = request.session
      if (session?.via === 'cookie' && request.cookies[CSRF_COOKIE] !== csrf.tokenFor(session.jti))
        csrf.setCookie(reply, session.jti, new Date(session.exp * 1000))
      done(null, payload)
    })

    app.decorate('endSession', async (request: FastifyRequest, reply: FastifyReply) => {
      const session = request.session
      if (session) {
        await endSession(request.em, session.sub, session.jti)
        // Ended: nothing after this may re-issue its cookies.
        request.session = null
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/' })
      reply.clearCookie(CSRF_COOKIE, { path: '/' })
    })

    const onUsageError = (err: unknown) => app.log.warn({ err }, 'recording a last use failed')
    const usage = new TokenUsage({
      write: (tokenId, ip) => recordTokenUse(app.orm.em.fork(), tokenId, ip),
      onError: onUsageError,
    })
    // The same throttle for sessions' lastSeenAt: at most one write a minute per session.
    const seen = new TokenUsage({
      write: (sessionId, ip) => recordSessionSeen(app.orm.em.fork(), sessionId, ip),
      onError: onUsageError,
    })
    app.decorate('tokenUsage', usage)
    app.addHook('onClose', () => Promise.all([usage.settled(), seen.settled()]))

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
        throw unauthenticated(ENDED)
      }
      if (
        typeof claims.sub !== 'string' ||
        typeof claims.jti !== 'string' ||
        typeof claims.exp !== 'number'
      )
        throw unauthenticated()
      if (via === 'cookie' && UNSAFE_METHODS.has(request.method)) csrf.check(request, claims.jti)
      if (!UUID.test(claims.sub) || !UUID.test(claims.jti)) throw unauthenticated()
      const accept = (check: SessionCheck): Caller => {
        const caller: Caller = { type: 'user', user: check.user }
        request.caller = caller
        request.currentUser = check.user
        request.session = { ...claims, via, reauthAt: check.reauthAt, mfa: check.mfa }
        if (ws) {
          request.role = check.role
          request.workspaceRevision = check.revision
          request.workspaceRequiresMfa = check.requireMfa
        }
        seen.touch(claims.jti, request.ip)
        return caller
      }

      // Reads may reuse a recent check while the change feed vouches nothing changed; writes never.
      const read = !UNSAFE_METHODS.has(request.method)
      const cached = read ? app.readCache.lookup(claims.jti, ws) : undefined
      if (cached && cached.user.id === claims.sub) return accept(cached)

      const ticket = app.readCache.ticket()
      const check = await checkSession(request.em, {
        sessionId: claims.jti,
        userId: claims.sub,
        workspaceId: ws,
      })
      if (!check) throw unauthenticated(ENDED)
      if (read) app.readCache.store(ticket, claims.jti, ws, check)
      return accept(check)
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
