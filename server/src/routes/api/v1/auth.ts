import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { FastifyRequest } from 'fastify'
import { LoginBodySchema, LoginResponseSchema, MeResponseSchema } from '@cloudlink/shared'
import { UserEntity } from '../../../db/entities/index.js'
import { rateLimited, unauthenticated } from '../../../errors.js'
import { dummyHash, verifyPassword } from '../../../domain/auth/password.js'
import { normalizeEmail, userDto } from '../../../domain/members/dto.js'
import { workspacesOf } from '../../../domain/members/members-service.js'

export interface LoginLimits {
  perIp: number
  perEmail: number
}

const authRoutes: FastifyPluginAsyncTypebox<{ loginLimits: LoginLimits }> = async (app, opts) => {
  // Per email as well as per IP: a botnet spreading guesses over many addresses still hits one account's limit.
  // The per-IP limit is the route's own; this second counter needs createRateLimit because the
  // plugin runs only one limiter per request.
  const emailLimiter = app.createRateLimit({
    max: opts.loginLimits.perEmail,
    timeWindow: '15 minutes',
    keyGenerator: (request) => {
      const body = request.body as { email?: unknown } | undefined
      return `login-email:${typeof body?.email === 'string' ? normalizeEmail(body.email) : ''}`
    },
  })
  const perEmail = async (request: FastifyRequest) => {
    const result = await emailLimiter(request)
    if (!result.isAllowed && result.isExceeded)
      throw rateLimited(
        'Too many sign-in attempts for this account; try again later',
        result.ttlInSeconds,
      )
  }

  app.post(
    '/auth/login',
    {
      config: {
        access: 'public',
        audit: false,
        rateLimit: { max: opts.loginLimits.perIp, timeWindow: '1 minute' },
      },
      preHandler: perEmail,
      schema: { tags: ['auth'], body: LoginBodySchema, response: { 200: LoginResponseSchema } },
    },
    async (request, reply) => {
      const user = await request.em.findOne(UserEntity, {
        email: normalizeEmail(request.body.email),
      })
      // One generic answer, and the same hashing work, whether the email or the password is wrong.
      const ok = await verifyPassword(
        request.body.password,
        user?.passwordHash ?? (await dummyHash()),
      )
      if (!user || !ok) throw unauthenticated('Email or password is incorrect')
      const session = await app.startSession(reply, user)
      return { ...session, user: userDto(user) }
    },
  )

  app.post(
    '/auth/logout',
    {
      config: { access: 'user', audit: false },
      schema: { tags: ['auth'], response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      await app.endSession(request, reply)
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/me',
    { config: { access: 'user' }, schema: { tags: ['auth'], response: { 200: MeResponseSchema } } },
    async (request) => {
      const user = await app.authenticate(request)
      return { user: userDto(user), workspaces: await workspacesOf(request.em, user.id) }
    },
  )
}
export default authRoutes
