import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import {
  ApiTokenListSchema,
  ApiTokenParamsSchema,
  CreateApiTokenBodySchema,
  CreatedApiTokenSchema,
  WorkspaceParamsSchema,
} from '@cloudlink/shared'
import {
  createApiToken,
  listApiTokens,
  revokeApiToken,
} from '../../../domain/api-tokens/tokens-service.js'

/**
 * API tokens: minted, listed and revoked by a workspace's owners, only as signed-in people
 * (`token: false`: a token never manages tokens, its own or others').
 */
const apiTokensRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const base = '/workspaces/:workspaceId/api-tokens'

  app.post(
    base,
    {
      config: {
        access: 'owner',
        token: false,
        audit: 'token.create',
        sudo: true,
        rateLimit: { max: 30, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['api-tokens'],
        params: WorkspaceParamsSchema,
        body: CreateApiTokenBodySchema,
        response: { 201: CreatedApiTokenSchema },
      },
    },
    async (request, reply) => {
      const actor = await app.authenticateUser(request)
      const created = await createApiToken(
        request.em,
        request.params.workspaceId,
        actor,
        request.body,
      )
      // Named by id and name; the value itself is in this answer only.
      request.audit.note({
        message: `Created API token "${created.name}" (${created.id}): ${created.scopes.join(', ')}${created.readOnly ? ', read-only' : ''}${created.accountIds ? `, ${created.accountIds.length} account(s)` : ''}, expires ${created.expiresAt}`,
      })
      // The token's secret must never be cached anywhere on its way out.
      reply.header('cache-control', 'no-store')
      return reply.code(201).send(created)
    },
  )

  app.get(
    base,
    {
      config: { access: 'owner', token: false },
      schema: {
        tags: ['api-tokens'],
        params: WorkspaceParamsSchema,
        response: { 200: ApiTokenListSchema },
      },
    },
    async (request) => ({ items: await listApiTokens(request.em, request.params.workspaceId) }),
  )

  app.delete(
    `${base}/:tokenId`,
    {
      config: { access: 'owner', token: false, audit: 'token.revoke' },
      schema: {
        tags: ['api-tokens'],
        params: ApiTokenParamsSchema,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const { workspaceId, tokenId } = request.params
      const revoked = await revokeApiToken(request.em, workspaceId, tokenId)
      request.audit.note({ message: `Revoked API token "${revoked.name}" (${revoked.id})` })
      return reply.code(204).send(null)
    },
  )
}
export default apiTokensRoutes
