import fp from 'fastify-plugin'
import { createProviderRegistry, type ProviderRegistry } from '../../providers/registry.js'

export type { ProviderRegistry } from '../../providers/registry.js'

declare module 'fastify' {
  interface FastifyInstance {
    providers: ProviderRegistry
  }
}

/** Decorates the app with the provider registry (plain modules from src/providers). */
export default fp(
  async (app) => {
    app.decorate('providers', createProviderRegistry(app.config))
  },
  { name: 'providers', dependencies: ['config'] },
)
