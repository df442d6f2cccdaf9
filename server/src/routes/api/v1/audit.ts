import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AuditPageSchema, AuditQuerySchema, IdSchema } from '@cloudlink/shared'
import { listAudit } from '../../../domain/audit/audit-service.js'

const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/workspaces/:workspaceId/audit',
    {
      config: { access: 'owner', token: false },
      schema: {
        tags: ['audit'],
        params: Type.Object({ workspaceId: IdSchema }),
        querystring: AuditQuerySchema,
        response: { 200: AuditPageSchema },
      },
    },
    async (request) => {
      const { limit, cursor, action, outcome, accountId, actorId } = request.query
      return listAudit(request.em, request.params.workspaceId, {
        limit: limit ?? 50,
        ...(cursor ? { cursor } : {}),
        ...(action ? { action } : {}),
        ...(outcome ? { outcome } : {}),
        ...(accountId ? { accountId } : {}),
        ...(actorId ? { actorId } : {}),
      })
    },
  )
}
export default auditRoutes
