import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import {
  AcceptInvitationBodySchema,
  AcceptInvitationResponseSchema,
  ChangeRoleBodySchema,
  InvitationPreviewSchema,
  InvitationSchema,
  InvitationTokenParamsSchema,
  InviteBodySchema,
  MemberListSchema,
  MemberParamsSchema,
  MemberSchema,
  WorkspaceParamsSchema,
} from '@cloudlink/shared'
import type { FastifyRequest } from 'fastify'
import { publicUrl } from '../../../config.js'
import type { Invitation, UserRef } from '../../../db/entities/index.js'
import { invitationMail } from '../../../domain/members/invitation-mail.js'
import { sendBeside } from '../../../domain/mail/mail.js'
import { userDto, workspaceDto } from '../../../domain/members/dto.js'
import { userActor } from '../../../domain/api-tokens/caller.js'
import { assertNotCommon } from '../../../domain/auth/common-passwords.js'
import { endSessionsOf } from '../../../domain/sessions/sessions-service.js'
import {
  acceptInvitation,
  changeRole,
  createInvitation,
  listMembers,
  previewInvitation,
  removeMember,
} from '../../../domain/members/members-service.js'

const revokedNote = (count: number) =>
  count === 0 ? '' : `; ${count} pending invitation${count === 1 ? '' : 's'} by them revoked`

const membersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const base = '/workspaces/:workspaceId'

  /**
   * Mails the link to the invited address when the installation sends mail. The owner gets the
   * link in the answer too, so a failed send is logged (without the message: it holds the token)
   * and the invitation stands.
   */
  async function mailInvitation(
    request: FastifyRequest,
    input: { invitation: Invitation; url: string; inviter: UserRef },
  ) {
    if (!app.mailer) return
    await sendBeside(
      app.mailer,
      () => invitationMail(request.em, input),
      (code) =>
        request.log.warn({ invitationId: input.invitation.id, code }, 'invitation mail not sent'),
    )
  }

  app.get(
    `${base}/members`,
    {
      config: { access: 'member', token: false },
      schema: {
        tags: ['members'],
        params: WorkspaceParamsSchema,
        response: { 200: MemberListSchema },
      },
    },
    async (request) => ({ items: await listMembers(request.em, request.params.workspaceId) }),
  )

  app.post(
    `${base}/invitations`,
    {
      config: { access: 'owner', token: false, audit: 'member.invite' },
      schema: {
        tags: ['members'],
        params: WorkspaceParamsSchema,
        body: InviteBodySchema,
        response: { 201: InvitationSchema },
      },
    },
    async (request, reply) => {
      const actor = await app.authenticateUser(request)
      const { workspaceId } = request.params
      const { invitation, token } = await createInvitation(
        request.em,
        workspaceId,
        actor,
        request.body,
      )
      request.audit.note({ message: `Invited ${invitation.email} as ${invitation.role}` })
      const url = `${publicUrl(app.config)}/invite/${token}`
      if (app.mailer) await mailInvitation(request, { invitation, url, inviter: actor })
      return reply.code(201).send({
        id: invitation.id,
        email: invitation.email,
        role: invitation.role,
        token,
        expiresAt: invitation.expiresAt.toISOString(),
        url,
      })
    },
  )

  // Public, but rate limited: tokens are 256 bits, the limit only stops wasted work. The token is
  // the secret in the URL, so the request log shows `[redacted]` in its place.
  const tokenRoute = {
    access: 'public',
    token: false,
    audit: false,
    rateLimit: { max: 30, timeWindow: '1 minute' },
    secretParams: ['token'],
  } as const

  app.get(
    '/invitations/:token',
    {
      config: tokenRoute,
      schema: {
        tags: ['members'],
        params: InvitationTokenParamsSchema,
        response: { 200: InvitationPreviewSchema },
      },
    },
    async (request) => {
      const { invitation, workspace } = await previewInvitation(request.em, request.params.token)
      return {
        email: invitation.email,
        role: invitation.role,
        workspace: workspaceDto(workspace),
        expiresAt: invitation.expiresAt.toISOString(),
      }
    },
  )

  app.post(
    '/invitations/:token/accept',
    {
      // Filed under the invitation's workspace, by the user who joined (known only on success).
      config: { ...tokenRoute, audit: 'member.join' },
      schema: {
        tags: ['members'],
        params: InvitationTokenParamsSchema,
        body: AcceptInvitationBodySchema,
        response: { 201: AcceptInvitationResponseSchema },
      },
    },
    async (request, reply) => {
      // Optional session: a signed-in invitee joins with the account it already has.
      const signedIn =
        request.headers.authorization || request.cookies.cl_session
          ? await app.authenticateUser(request)
          : null
      // Only a password that creates an account is checked; a signed-in invitee sends none.
      if (request.body.password !== undefined)
        await assertNotCommon(request.body.password, 'password')
      const { user, workspace } = await acceptInvitation(
        request.em,
        app.passwords,
        request.params.token,
        request.body,
        signedIn,
      )
      request.audit.note({
        workspaceId: workspace.id,
        actor: userActor(user),
        message: `${user.email} joined`,
      })
      return reply.code(201).send({ user: userDto(user), workspace: workspaceDto(workspace) })
    },
  )

  app.patch(
    `${base}/members/:userId`,
    {
      config: { access: 'owner', token: false, audit: 'member.role_change', sudo: true },
      schema: {
        tags: ['members'],
        params: MemberParamsSchema,
        body: ChangeRoleBodySchema,
        response: { 200: MemberSchema },
      },
    },
    async (request) => {
      const { workspaceId, userId } = request.params
      const { member, revokedInvitations } = await changeRole(
        request.em,
        workspaceId,
        userId,
        request.body.role,
      )
      request.audit.note({
        message: `${member.user.email} is now ${member.role}${revokedNote(revokedInvitations)}`,
      })
      return member
    },
  )

  app.delete(
    `${base}/members/:userId`,
    {
      config: { access: 'owner', token: false, audit: 'member.remove' },
      schema: { tags: ['members'], params: MemberParamsSchema, response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      const { workspaceId, userId } = request.params
      const { revokedInvitations } = await removeMember(request.em, workspaceId, userId)
      // Removed by someone else: every session of theirs ends (the reason may be a stolen one);
      // leaving a workspace yourself keeps you signed in for your others.
      const ended = userId === request.currentUser?.id ? 0 : await endSessionsOf(request.em, userId)
      request.audit.note({
        message: `Removed member ${userId}${revokedNote(revokedInvitations)}${ended ? `; ${ended} session(s) ended` : ''}`,
      })
      return reply.code(204).send(null)
    },
  )
}
export default membersRoutes
