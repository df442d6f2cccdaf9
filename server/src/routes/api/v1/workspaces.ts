import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  CreateWorkspaceBodySchema,
  UpdateWorkspaceBodySchema,
  WorkspaceParamsSchema,
  WorkspaceWithRoleSchema,
} from '@cloudlink/shared'
import { createWorkspace } from '../../../domain/members/members-service.js'
import { updateWorkspace } from '../../../domain/members/workspace-settings.js'

/** A signed-in user may start a workspace of their own, and owns it, as WORKSPACE_CREATION allows. */
const workspacesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/workspaces',
    {
      config: {
        access: 'user',
        token: false,
        audit: false,
        rateLimit: { max: 30, timeWindow: '1 hour' },
      },
      schema: {
        tags: ['workspaces'],
        body: CreateWorkspaceBodySchema,
        response: { 201: WorkspaceWithRoleSchema },
      },
    },
    async (request, reply) => {
      const user = await app.authenticateUser(request)
      const workspace = await createWorkspace(
        request.em,
        user,
        request.body.name,
        app.config.WORKSPACE_CREATION,
      )
      return reply
        .code(201)
        .send({ id: workspace.id, name: workspace.name, role: 'owner' as const })
    },
  )

  app.patch(
    '/workspaces/:workspaceId',
    {
      config: { access: 'owner', token: false, audit: 'workspace.update' },
      schema: {
        tags: ['workspaces'],
        params: WorkspaceParamsSchema,
        body: UpdateWorkspaceBodySchema,
        response: { 200: WorkspaceWithRoleSchema },
      },
    },
    async (request) => {
      const owner = await app.authenticateUser(request)
      const updated = await updateWorkspace(request.em, {
        workspaceId: request.params.workspaceId,
        ownerId: owner.id,
        body: request.body,
      })
      const { name, requireMfa } = request.body
      request.audit.note({
        message: [
          name === undefined ? null : `Renamed the workspace to "${updated.name}"`,
          requireMfa === undefined
            ? null
            : `${requireMfa ? 'Requires' : 'No longer requires'} a second factor of every member`,
        ]
          .filter(Boolean)
          .join('; '),
      })
      return updated
    },
  )
}
export default workspacesRoutes
