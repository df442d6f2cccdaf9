import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { FastifyRequest } from 'fastify'
import {
  ChangePasswordBodySchema,
  MeResponseSchema,
  SessionListSchema,
  SessionParamsSchema,
} from '@cloudlink/shared'
import { isFieldError, notFound } from '../../../errors.js'
import { changePassword } from '../../../domain/auth/account.js'
import { userDto } from '../../../domain/members/dto.js'
import { workspacesOf } from '../../../domain/members/members-service.js'
import { mfaStatus } from '../../../domain/mfa/mfa-service.js'
import { mfaEnrolmentRequired } from '../../../domain/mfa/policy.js'
import { endSession, listSessions } from '../../../domain/sessions/sessions-service.js'

/** The signed-in session's id (these routes are for people: rbac refused tokens already). */
const sessionId = (request: FastifyRequest) => (request.session as { jti: string }).jti

/** The signed-in person: who they are, their workspaces, their password and sessions. */
const meRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['me']

  app.get(
    '/me',
    {
      config: { access: 'user', token: false },
      schema: { tags: ['auth'], response: { 200: MeResponseSchema } },
    },
    async (request) => {
      const user = await app.authenticateUser(request)
      const [workspaces, mfa, enrol] = await Promise.all([
        workspacesOf(request.em, user.id),
        mfaStatus(request.em.fork(), user.id),
        mfaEnrolmentRequired(request.em.fork(), user.id),
      ])
      return {
        user: userDto(user),
        workspaces,
        security: {
          mfaEnabled: mfa.enabled,
          recoveryCodesLeft: mfa.recoveryCodesLeft,
          mfaEnrolmentRequired: enrol,
        },
      }
    },
  )

  app.post(
    '/me/password',
    {
      config: { access: 'user', token: false, audit: 'user.password_change' },
      schema: { tags, body: ChangePasswordBodySchema, response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      const user = await app.authenticateUser(request)
      await app.securityLimits.passwords.assertOpen(request, user.id)
      let ended: number
      try {
        ended = await changePassword(
          { em: request.em, passwords: app.passwords },
          { userId: user.id, sessionId: sessionId(request), ...request.body },
        )
      } catch (err: unknown) {
        if (isFieldError(err, 'currentPassword'))
          await app.securityLimits.passwords.fail(request, user.id)
        throw err
      }
      request.audit.note({
        message: `Changed their password; ${ended} other session${ended === 1 ? '' : 's'} ended`,
      })
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/me/sessions',
    {
      config: { access: 'user', token: false },
      schema: { tags, response: { 200: SessionListSchema } },
    },
    async (request) => {
      const user = await app.authenticateUser(request)
      return { items: await listSessions(request.em, user.id, sessionId(request)) }
    },
  )

  app.delete(
    '/me/sessions/:sessionId',
    {
      config: { access: 'user', token: false, audit: 'user.session_end' },
      schema: { tags, params: SessionParamsSchema, response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      const user = await app.authenticateUser(request)
      const id = request.params.sessionId
      // Someone else's session is as unknown as a made-up id.
      if (!(await endSession(request.em, user.id, id))) throw notFound('Session')
      request.audit.note({ message: `Ended a session (${id})` })
      return reply.code(204).send(null)
    },
  )
}
export default meRoutes
