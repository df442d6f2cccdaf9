import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { MfaCodeBodySchema, RecoveryCodesSchema, TotpEnrolmentSchema } from '@cloudlink/shared'
import { confirmEnrolment, disableMfa, startEnrolment } from '../../../domain/mfa/mfa-service.js'
import { isFieldError } from '../../../errors.js'

/**
 * The person's TOTP second factor. Turning it on or off is sudo mode (a confirmation within ten
 * minutes); wrong codes count towards the person's code limit, like the sign-in's second step.
 */
const mfaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const base = '/me/mfa/totp'
  const tags = ['me']
  const deps = (request: { em: Parameters<typeof startEnrolment>[0]['em'] }) => ({
    em: request.em,
    vault: app.vault,
  })

  app.post(
    base,
    {
      config: { access: 'user', token: false, audit: false, sudo: true },
      schema: { tags, response: { 200: TotpEnrolmentSchema } },
    },
    async (request, reply) => {
      const user = await app.authenticateUser(request)
      // The secret is in this answer only (the QR code and the text to copy).
      reply.header('cache-control', 'no-store')
      return startEnrolment(deps(request), user)
    },
  )

  app.post(
    `${base}/confirm`,
    {
      config: { access: 'user', token: false, audit: 'user.mfa_enable', sudo: true },
      schema: { tags, body: MfaCodeBodySchema, response: { 200: RecoveryCodesSchema } },
    },
    async (request, reply) => {
      const user = await app.authenticateUser(request)
      await app.securityLimits.codes.assertOpen(request, user.id)
      try {
        const recoveryCodes = await confirmEnrolment(deps(request), user.id, request.body.code)
        request.audit.note({ message: 'Turned on a second factor (authenticator app)' })
        reply.header('cache-control', 'no-store')
        return { recoveryCodes }
      } catch (err: unknown) {
        if (isFieldError(err, 'code')) await app.securityLimits.codes.fail(request, user.id)
        throw err
      }
    },
  )

  app.delete(
    base,
    {
      config: { access: 'user', token: false, audit: 'user.mfa_disable', sudo: true },
      schema: { tags, body: MfaCodeBodySchema, response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      const user = await app.authenticateUser(request)
      await app.securityLimits.codes.assertOpen(request, user.id)
      try {
        await disableMfa(deps(request), user.id, request.body.code)
      } catch (err: unknown) {
        if (isFieldError(err, 'code')) await app.securityLimits.codes.fail(request, user.id)
        throw err
      }
      request.audit.note({ message: 'Turned off their second factor' })
      return reply.code(204).send(null)
    },
  )
}
export default mfaRoutes
