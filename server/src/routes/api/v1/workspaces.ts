import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { CreateWorkspaceBodySchema, WorkspaceWithRoleSchema } from '@cloudlink/shared'
import { createWorkspace } from '../../../domain/members/members-service.js'

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
}
export default workspacesRoutes
