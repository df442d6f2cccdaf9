import { PROVIDER_IDS, providerUrlEnvName, type Provider, type ProviderId } from '@cloudlink/shared'
import type { Config } from '../config.js'
import { describeOAuth, oauthApp } from './core/oauth/apps.js'
import { createProviderHttp } from './core/http.js'
import type { ProviderContext, ProviderModule } from './core/types.js'
import { providerModules as modules } from './index.js'

export interface ProviderRegistry {
  get(id: ProviderId): ProviderModule
  /** Points every origin of a provider elsewhere (sandbox simulators); PROVIDER_URL_<ID> wins. */
  setOrigin(id: ProviderId, origin: string): void
  context(id: ProviderId): ProviderContext
  describe(id: ProviderId): Provider
  list(): Provider[]
}

/** Plain (no Fastify) so the recheck worker threads build the very same registry. */
export function createProviderRegistry(
  config: Pick<
    Config,
    'providerUrls' | 'oauth' | 'PROVIDER_TIMEOUT_MS' | 'PUBLIC_URL' | 'HOST' | 'PORT'
  >,
): ProviderRegistry {
  const sandboxOrigins = new Map<ProviderId, string>()
  const contexts = new Map<ProviderId, ProviderContext>()

  const get = (id: ProviderId) => {
    const module = modules[id]
    if (!module) throw new Error(`unknown provider ${id}`)
    return module
  }
  const describe = (id: ProviderId): Provider => {
    const module = get(id)
    const provider = {
      ...module.descriptor,
      available: module.available?.({ oauth: config.oauth }) ?? true,
      proxy: { defaultOrigin: module.broker.defaultOrigin, origins: [...module.broker.origins] },
    }
    return module.oauth ? describeOAuth(provider, module.oauth, config) : provider
  }

  return {
    get,
    setOrigin(id, origin) {
      sandboxOrigins.set(id, origin)
      contexts.delete(id)
    },
    context(id) {
      let ctx = contexts.get(id)
      if (!ctx) {
        const module = get(id)
        const spec = module.oauth
        ctx = {
          http: createProviderHttp({
            providerName: module.descriptor.name,
            origins: module.origins,
            override: config.providerUrls[providerUrlEnvName(id)] ?? sandboxOrigins.get(id),
            timeoutMs: config.PROVIDER_TIMEOUT_MS,
          }),
          // Read on use: the sandbox configures its OAuth apps after the providers registered.
          ...(spec ? { oauthApp: () => oauthApp(config, id, spec) } : {}),
        }
        contexts.set(id, ctx)
      }
      return ctx
    },
    describe,
    list: () => PROVIDER_IDS.map(describe),
  }
}
