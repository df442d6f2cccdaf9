import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ProviderListSchema } from '@cloudlink/shared'
import { AppStateEntity } from '../../../db/entities/index.js'

const providersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/providers',
    {
      config: { access: 'user', token: false },
      schema: { tags: ['providers'], response: { 200: ProviderListSchema } },
    },
    async (request) => {
      const sweep = await request.em.findOne(AppStateEntity, { key: 'lastSweepAt' })
      return {
        items: app.providers.list(),
        sandbox: app.sandbox.enabled,
        demoCredentials: app.sandbox.demoCredentials,
        lastSweepAt: typeof sweep?.value === 'string' ? sweep.value : null,
      }
    },
  )
}
export default providersRoutes
