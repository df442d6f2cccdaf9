import fp from 'fastify-plugin'
import type { ProviderId } from '@cloudlink/shared'
import { configureSandboxOAuth } from '../../domain/oauth/sandbox.js'

export interface DemoCredential {
  provider: string
  kind: 'good' | 'revoked' | 'slow' | 'readOnly'
  credentials: Record<string, string>
}

declare module 'fastify' {
  interface FastifyInstance {
    sandbox: {
      enabled: boolean
      demoCredentials: DemoCredential[]
      urls: Partial<Record<ProviderId, string>>
    }
  }
}

/**
 * SANDBOX=1 starts the provider simulators in this process and points every provider at them, so
 * every flow can be tried without a cloud account. It is logged loudly and reported by
 * GET /api/v1/providers, so it is never on by accident unnoticed.
 */
export default fp(
  async (app) => {
    if (!app.config.SANDBOX) {
      app.decorate('sandbox', { enabled: false, demoCredentials: [], urls: {} })
      return
    }
    // Loaded only in sandbox mode: production never starts a simulator.
    const { startSimulators, demoCredentials, simulatedProviders } =
      await import('@cloudlink/e2e/simulators')
    const sims = await startSimulators(simulatedProviders)
    const urls: Partial<Record<ProviderId, string>> = {}
    for (const [id, sim] of sims) {
      app.providers.setOrigin(id, sim.url)
      urls[id] = sim.url
    }
    const demos: DemoCredential[] = []
    for (const [provider, set] of Object.entries(demoCredentials)) {
      if (!set) continue
      for (const kind of ['good', 'revoked', 'slow', 'readOnly'] as const) {
        const credentials = set[kind]
        if (credentials) demos.push({ provider, kind, credentials })
      }
    }
    app.decorate('sandbox', { enabled: true, demoCredentials: demos, urls })
    app.log.warn(
      { simulated: [...sims.keys()], simulatorUrls: urls },
      'SANDBOX MODE: every provider is a local simulator; no real cloud account is contacted',
    )
    app.addHook('onClose', async () => {
      await Promise.all([...sims.values()].map((sim) => sim.close()))
    })
    // One-click OAuth against the simulators' OAuth servers, with apps registered just now.
    await configureSandboxOAuth(app.config, app.providers, sims)
  },
  { name: 'sandbox', dependencies: ['providers'] },
)
