import fp from 'fastify-plugin'
import { createProviderRegistry, type ProviderRegistry } from './provider-registry.js'

export type { ProviderRegistry } from './provider-registry.js'

declare module 'fastify' {
  interface FastifyInstance {
    providers: ProviderRegistry
  }
}

/** The provider registry; each provider's own plugin (see registry.ts) registers into it. */
export default fp(
  async (app) => {
    app.decorate('providers', createProviderRegistry(app.config))
  },
  { name: 'providers', dependencies: ['config'] },
)
