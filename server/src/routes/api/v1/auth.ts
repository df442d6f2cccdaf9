import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { FastifyRequest } from 'fastify'
import { LoginBodySchema, LoginResponseSchema, MeResponseSchema } from '@cloudlink/shared'
import { UserEntity, type User } from '../../../db/entities/index.js'
import { rateLimited, unauthenticated } from '../../../errors.js'
import { normalizeEmail, userDto } from '../../../domain/members/dto.js'
import { workspacesOf } from '../../../domain/members/members-service.js'

export interface LoginLimits {
  /** Sign-in requests per address per minute, right or wrong: a flood limit. */
  perIp: number
  /** Wrong passwords for one email from one address per 15 minutes: the guessing limit. */
  perEmailAndIp: number
  /** Wrong passwords for one email from all addresses per hour: the slow, distributed limit. */
  perEmail: number
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perIp: 20, perEmailAndIp: 10, perEmail: 50 }

/**
 * Seam for the second factor. Past the per-email limit a password alone no longer signs in, so
 * guesses spread over many addresses stop; the owner is locked out with them. Once TOTP exists, a
 * user with a second factor passes here: the password is checked and the code is what decides.
 */
const secondFactorPasses = (_user: User | null): boolean => false

const authRoutes: FastifyPluginAsyncTypebox<{ loginLimits: LoginLimits }> = async (app, opts) => {
  const limits = opts.loginLimits
  const emailOf = (request: FastifyRequest) => {
    const body = request.body as { email?: unknown } | undefined
    return typeof body?.email === 'string' ? normalizeEmail(body.email) : ''
  }
  // Both count wrong passwords only (a successful sign-in spends nothing): read before the
  // password is checked, incremented after it failed. The pair limit is what a guesser meets;
  // someone else's guesses from another address do not lock the owner out.
  const pairLimiter = app.createRateLimit({
    max: limits.perEmailAndIp,
    timeWindow: '15 minutes',
    keyGenerator: (request) => `login-fail:${emailOf(request)}|${request.ip}`,
  })
  const emailLimiter = app.createRateLimit({
    max: limits.perEmail,
    timeWindow: '1 hour',
    keyGenerator: (request) => `login-fail-email:${emailOf(request)}`,
  })
  const spent = (result: Awaited<ReturnType<typeof pairLimiter>>) =>
    result.isAllowed ? null : result.remaining <= 0 ? result.ttlInSeconds : null

  app.post(
    '/auth/login',
    {
      config: {
        access: 'public',
        token: false,
        audit: false,
        rateLimit: { max: limits.perIp, timeWindow: '1 minute' },
      },
      schema: { tags: ['auth'], body: LoginBodySchema, response: { 200: LoginResponseSchema } },
    },
    async (request, reply) => {
      const [pair, perEmail] = await Promise.all([
        pairLimiter(request, { increment: false }),
        emailLimiter(request, { increment: false }),
      ])
      const pairWait = spent(pair)
      if (pairWait !== null)
        throw rateLimited('Too many wrong passwords for this account; try again later', pairWait)
      const user = await request.em.findOne(UserEntity, {
        email: normalizeEmail(request.body.email),
      })
      const emailWait = spent(perEmail)
      if (emailWait !== null && !secondFactorPasses(user))
        throw rateLimited('Too many wrong passwords for this account; try again later', emailWait)
      // One generic answer, and the same hashing work, whether the email or the password is wrong.
      const ok = user
        ? await app.passwords.verify(request.body.password, user.passwordHash)
        : await app.passwords.verifyNone(request.body.password)
      if (!user || !ok) {
        await Promise.all([pairLimiter(request), emailLimiter(request)])
        throw unauthenticated('Email or password is incorrect')
      }
      const session = await app.startSession(reply, user)
      return { ...session, user: userDto(user) }
    },
  )

  app.post(
    '/auth/logout',
    {
      config: { access: 'user', token: false, audit: false },
      schema: { tags: ['auth'], response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      await app.endSession(request, reply)
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/me',
    {
      config: { access: 'user', token: false },
      schema: { tags: ['auth'], response: { 200: MeResponseSchema } },
    },
    async (request) => {
      const user = await app.authenticateUser(request)
      return { user: userDto(user), workspaces: await workspacesOf(request.em, user.id) }
    },
  )
}
export default authRoutes
