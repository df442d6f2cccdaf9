import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import {
  MemberParamsSchema,
  PasswordResetBodySchema,
  PasswordResetLinkSchema,
  PasswordResetParamsSchema,
  PasswordResetPreviewSchema,
} from '@cloudlink/shared'
import { publicUrl } from '../../../config.js'
import { userActor } from '../../../domain/api-tokens/caller.js'
import {
  assertOwnerMayReset,
  completePasswordReset,
  issuePasswordReset,
  previewPasswordReset,
} from '../../../domain/auth/password-resets.js'
import { passwordResetMail } from '../../../domain/auth/password-reset-mail.js'
import { sendBeside } from '../../../domain/mail/mail.js'
import { WorkspaceEntity } from '../../../db/entities/index.js'

/** Where a reset link opens (the SPA's page), built from PUBLIC_URL. */
export const resetPath = (token: string) => `/reset-password/${token}`

/**
 * Password resets without email: an owner hands a member a one-time link (shown once, one hour),
 * or the operator prints one with `user:reset-password`. Using it sets the password and ends every
 * session of the person; their second factor stays.
 */
const passwordResetsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['members']

  app.post(
    '/workspaces/:workspaceId/members/:userId/password-reset',
    {
      config: { access: 'owner', token: false, audit: 'member.password_reset', sudo: true },
      schema: { tags, params: MemberParamsSchema, response: { 201: PasswordResetLinkSchema } },
    },
    async (request, reply) => {
      const owner = await app.authenticateUser(request)
      const { workspaceId, userId } = request.params
      const user = await assertOwnerMayReset(request.em, owner.id, workspaceId, userId)
      const { token, expiresAt } = await issuePasswordReset(request.em, {
        userId,
        workspaceId,
        createdBy: owner.id,
      })
      request.audit.note({ message: `Created a password reset link for ${user.email}` })
      const url = `${publicUrl(app.config)}${resetPath(token)}`
      // With mail configured the person gets the link too; the owner still sees it once.
      const mailed = app.mailer
        ? await sendBeside(
            app.mailer,
            async () => {
              const workspace = await request.em.findOneOrFail(WorkspaceEntity, { id: workspaceId })
              return passwordResetMail({
                to: user.email,
                owner,
                workspaceName: workspace.name,
                url,
                expiresAt,
              })
            },
            (code) => request.log.warn({ userId, code }, 'password reset mail not sent'),
          )
        : false
      // The link is a password in all but name: never cached on its way out.
      reply.header('cache-control', 'no-store')
      return reply.code(201).send({ url, expiresAt: expiresAt.toISOString(), mailed })
    },
  )

  // Public, but rate limited: tokens are 256 bits, the limit only stops wasted work. The token is
  // the secret in the URL, so the request log shows `[redacted]` in its place.
  const tokenRoute = {
    access: 'public',
    token: false,
    rateLimit: { max: 30, timeWindow: '1 minute' },
    secretParams: ['resetToken'],
  } as const

  app.get(
    '/password-resets/:resetToken',
    {
      config: tokenRoute,
      schema: {
        tags,
        params: PasswordResetParamsSchema,
        response: { 200: PasswordResetPreviewSchema },
      },
    },
    async (request) => previewPasswordReset(request.em, request.params.resetToken),
  )

  app.post(
    '/password-resets/:resetToken',
    {
      // Filed in the person's workspaces, by the person (known only on success).
      config: { ...tokenRoute, audit: 'user.password_reset' },
      schema: {
        tags,
        params: PasswordResetParamsSchema,
        body: PasswordResetBodySchema,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const { userId, email } = await completePasswordReset(
        request.em,
        app.passwords,
        request.params.resetToken,
        request.body.password,
      )
      request.audit.note({
        actor: userActor({ id: userId, email, name: email }),
        message: `${email} set a new password with a reset link; every session ended`,
      })
      return reply.code(204).send(null)
    },
  )
}
export default passwordResetsRoutes
