import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import {
  LoginBodySchema,
  LoginResponseSchema,
  MfaLoginBodySchema,
  ReauthBodySchema,
} from '@cloudlink/shared'
import { UserEntity, type User } from '../../../db/entities/index.js'
import { mfaRequired, rateLimited, unauthenticated, validationFailed } from '../../../errors.js'
import { normalizeEmail, userDto } from '../../../domain/members/dto.js'
import {
  createChallenge,
  failChallenge,
  lockChallenge,
  spendChallenge,
} from '../../../domain/mfa/challenges.js'
import { hasMfa, useSecondFactor } from '../../../domain/mfa/mfa-service.js'
import { mfaEnrolmentRequired } from '../../../domain/mfa/policy.js'
import { recordReauth } from '../../../domain/sessions/sessions-service.js'

export interface LoginLimits {
  /** Sign-in requests per address per minute, right or wrong: a flood limit. */
  perIp: number
  /** Wrong passwords for one email from one address per 15 minutes: the guessing limit. */
  perEmailAndIp: number
  /** Wrong passwords for one email from all addresses per hour: the slow, distributed limit. */
  perEmail: number
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perIp: 20, perEmailAndIp: 10, perEmail: 50 }

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

  /**
   * Past the per-email limit a password alone no longer signs in, so guesses spread over many
   * addresses stop; a person without a second factor is locked out with them. With one, the
   * password is still checked and the code is what decides (its own per-person limit applies).
   */
  const secondFactorPasses = async (user: User | null) =>
    user !== null && (await hasMfa(app.orm.em.fork(), user.id))

  /** A finished sign-in: the session, and whether a workspace makes them enrol a second factor. */
  async function signedIn(request: FastifyRequest, reply: FastifyReply, user: User) {
    const session = await app.startSession(request, reply, user)
    const enrol = await mfaEnrolmentRequired(request.em, user.id)
    return { ...session, user: userDto(user), ...(enrol ? { mfaEnrolmentRequired: true } : {}) }
  }

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
      if (emailWait !== null && !(await secondFactorPasses(user)))
        throw rateLimited('Too many wrong passwords for this account; try again later', emailWait)
      // One generic answer, and the same hashing work, whether the email or the password is wrong.
      const ok = user
        ? await app.passwords.verify(request.body.password, user.passwordHash)
        : await app.passwords.verifyNone(request.body.password)
      if (!user || !ok) {
        await Promise.all([pairLimiter(request), emailLimiter(request)])
        throw unauthenticated('Email or password is incorrect')
      }
      // The second step's token; no session exists until a code is accepted.
      if (await hasMfa(request.em, user.id))
        throw mfaRequired(await createChallenge(request.em, user.id))
      return signedIn(request, reply, user)
    },
  )

  app.post(
    '/auth/login/mfa',
    {
      config: {
        access: 'public',
        token: false,
        audit: false,
        rateLimit: { max: limits.perIp, timeWindow: '1 minute' },
      },
      schema: { tags: ['auth'], body: MfaLoginBodySchema, response: { 200: LoginResponseSchema } },
    },
    async (request, reply) => {
      const { mfaToken, code } = request.body
      // Locked, so two codes sent at once for one token are judged one after the other; the
      // outcome leaves the transaction first, so a wrong code's count commits.
      const outcome = await request.em.transactional(async (tx) => {
        const challenge = await lockChallenge(tx, mfaToken)
        if (!challenge) return { kind: 'gone' as const }
        await app.securityLimits.codes.assertOpen(request, challenge.userId)
        const factor = await useSecondFactor({ em: tx, vault: app.vault }, challenge.userId, code)
        if (!factor) {
          const left = await failChallenge(tx, challenge.id)
          return { kind: 'wrong' as const, userId: challenge.userId, left }
        }
        await spendChallenge(tx, challenge.id)
        return { kind: 'ok' as const, userId: challenge.userId }
      })
      if (outcome.kind === 'gone')
        throw unauthenticated('This sign-in expired or ended; enter your email and password again')
      if (outcome.kind === 'wrong') {
        await app.securityLimits.codes.fail(request, outcome.userId)
        throw unauthenticated(
          outcome.left > 0
            ? `That code is wrong, used or expired; ${outcome.left} tries left`
            : 'Too many wrong codes; enter your email and password again',
        )
      }
      const user = await request.em.findOneOrFail(UserEntity, { id: outcome.userId })
      return signedIn(request, reply, user)
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

  // Wrong answers are 400 naming the field, never 401: the person is signed in, and a 401 would
  // sign the SPA out.
  app.post(
    '/auth/reauth',
    {
      config: { access: 'user', token: false, audit: false },
      schema: { tags: ['auth'], body: ReauthBodySchema, response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      const person = await app.authenticateUser(request)
      const { password, code } = request.body
      if ((password === undefined) === (code === undefined))
        throw validationFailed('password', 'send your password or a code, one of the two')
      if (password !== undefined) {
        await app.securityLimits.passwords.assertOpen(request, person.id)
        const user = await request.em.findOneOrFail(UserEntity, { id: person.id })
        if (!(await app.passwords.verify(password, user.passwordHash))) {
          await app.securityLimits.passwords.fail(request, person.id)
          throw validationFailed('password', 'is not your password')
        }
      } else {
        if (!(await hasMfa(request.em, person.id)))
          throw validationFailed('code', 'no second factor is on: confirm with your password')
        await app.securityLimits.codes.assertOpen(request, person.id)
        const deps = { em: request.em, vault: app.vault }
        if (!(await useSecondFactor(deps, person.id, code as string))) {
          await app.securityLimits.codes.fail(request, person.id)
          throw validationFailed('code', 'is not a current code or an unused recovery code')
        }
      }
      await recordReauth(request.em, (request.session as { jti: string }).jti)
      return reply.code(204).send(null)
    },
  )
}
export default authRoutes
