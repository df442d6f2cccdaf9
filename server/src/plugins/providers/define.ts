import fp from 'fastify-plugin'
import type { FastifyPluginAsync } from 'fastify'
import type { ProviderModule } from './types.js'

export type ProviderPlugin = FastifyPluginAsync & { module: ProviderModule }

/** One Fastify plugin per provider: it registers its module with the provider registry. */
export function defineProvider<C extends Record<string, string>>(
  module: ProviderModule<C>,
): ProviderPlugin {
  const plugin = fp(
    async (app) => {
      app.providers.register(module as unknown as ProviderModule)
    },
    { name: `provider-${module.descriptor.id}`, dependencies: ['providers'] },
  )
  return Object.assign(plugin, { module: module as unknown as ProviderModule })
}
