import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AuditPageSchema, IdSchema, PageQuerySchema } from '@cloudlink/shared'
import { listAudit } from '../../../domain/audit/audit-service.js'

const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/workspaces/:workspaceId/audit',
    {
      config: { access: 'owner', token: false },
      schema: {
        tags: ['audit'],
        params: Type.Object({ workspaceId: IdSchema }),
        querystring: PageQuerySchema,
        response: { 200: AuditPageSchema },
      },
    },
    async (request) =>
      listAudit(request.em, request.params.workspaceId, {
        limit: request.query.limit ?? 50,
        ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
      }),
  )
}
export default auditRoutes
