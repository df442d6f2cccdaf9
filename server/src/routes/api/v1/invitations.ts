import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import {
  InvitationParamsSchema,
  PendingInvitationListSchema,
  WorkspaceParamsSchema,
} from '@cloudlink/shared'
import { listPendingInvitations, revokeInvitation } from '../../../domain/members/invitations.js'

/** Owners see the invitations nobody accepted yet, and revoke them. Creating one: members.ts. */
const invitationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const base = '/workspaces/:workspaceId/invitations'

  app.get(
    base,
    {
      config: { access: 'owner', token: false },
      schema: {
        tags: ['members'],
        params: WorkspaceParamsSchema,
        response: { 200: PendingInvitationListSchema },
      },
    },
    async (request) => ({
      items: await listPendingInvitations(request.em, request.params.workspaceId),
    }),
  )

  app.delete(
    `${base}/:invitationId`,
    {
      config: { access: 'owner', token: false, audit: 'member.invite_revoke' },
      schema: { tags: ['members'], params: InvitationParamsSchema, response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      const { workspaceId, invitationId } = request.params
      const invitation = await revokeInvitation(request.em, workspaceId, invitationId)
      request.audit.note({
        message: `Revoked the invitation of ${invitation.email} as ${invitation.role}`,
      })
      return reply.code(204).send(null)
    },
  )
}
export default invitationsRoutes
