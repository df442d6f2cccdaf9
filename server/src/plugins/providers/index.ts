import fp from 'fastify-plugin'
import { PROVIDER_IDS, providerUrlEnvName, type Provider, type ProviderId } from '@cloudlink/shared'
import { createProviderHttp } from './http.js'
import type { ProviderContext, ProviderModule } from './types.js'

export interface ProviderRegistry {
  register(module: ProviderModule): void
  get(id: ProviderId): ProviderModule
  /** Points every origin of a provider elsewhere (sandbox simulators); PROVIDER_URL_<ID> wins. */
  setOrigin(id: ProviderId, origin: string): void
  context(id: ProviderId): ProviderContext
  describe(id: ProviderId): Provider
  list(): Provider[]
}

declare module 'fastify' {
  interface FastifyInstance {
    providers: ProviderRegistry
  }
}

/** The provider registry; each provider's own plugin (see registry.ts) registers into it. */
export default fp(
  async (app) => {
    const modules = new Map<ProviderId, ProviderModule>()
    const sandboxOrigins = new Map<ProviderId, string>()
    const contexts = new Map<ProviderId, ProviderContext>()

    const get = (id: ProviderId) => {
      const module = modules.get(id)
      if (!module) throw new Error(`provider ${id} is not registered`)
      return module
    }
    const describe = (id: ProviderId): Provider => {
      const module = get(id)
      return {
        ...module.descriptor,
        available: module.available?.({ oauth: app.config.oauth }) ?? true,
      }
    }

    app.decorate('providers', {
      register(module: ProviderModule) {
        modules.set(module.descriptor.id, module)
      },
      get,
      setOrigin(id: ProviderId, origin: string) {
        sandboxOrigins.set(id, origin)
        contexts.delete(id)
      },
      context(id: ProviderId) {
        let ctx = contexts.get(id)
        if (!ctx) {
          const module = get(id)
          ctx = {
            http: createProviderHttp({
              providerName: module.descriptor.name,
              origins: module.origins,
              override: app.config.providerUrls[providerUrlEnvName(id)] ?? sandboxOrigins.get(id),
              timeoutMs: app.config.PROVIDER_TIMEOUT_MS,
            }),
          }
          contexts.set(id, ctx)
        }
        return ctx
      },
      describe,
      list: () => PROVIDER_IDS.map(describe),
    } satisfies ProviderRegistry)
  },
  { name: 'providers', dependencies: ['config'] },
)
