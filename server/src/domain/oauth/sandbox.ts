import { randomBytes } from 'node:crypto'
import type { ProviderId } from '@cloudlink/shared'
import type { Config } from '../../config.js'
import type { ProviderRegistry } from '../../providers/registry.js'
import { oauthEnvNames } from '../../providers/core/oauth/apps.js'

/** The simulators' OAuth control API (e2e/src/simulators/providers/oauth-server.ts). */
const REGISTER_CLIENT = '/__sim-oauth/clients'

/**
 * Sandbox mode: registers a fresh OAuth app with every simulator that runs an OAuth server and
 * configures it as this installation's app, so one-click connect works without any setup. The
 * sandbox replaces every provider by its simulator, so an operator's real apps (which would talk
 * to the real providers) are overridden too. It goes into `config.oauth`, which the registry reads
 * on use and the recheck worker receives with the rest of the configuration.
 */
export async function configureSandboxOAuth(
  config: Config,
  providers: ProviderRegistry,
  sims: Map<ProviderId, { url: string }>,
): Promise<ProviderId[]> {
  const configured: ProviderId[] = []
  for (const [id, sim] of sims) {
    const spec = providers.get(id).oauth
    if (!spec) continue
    const clientId = `cloudlink-sandbox-${id}`
    const clientSecret = randomBytes(24).toString('base64url')
    const res = await fetch(`${sim.url}${REGISTER_CLIENT}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientId, clientSecret }),
    })
    if (res.status !== 201)
      throw new Error(`sandbox: the ${id} simulator refused the OAuth app (HTTP ${res.status})`)
    const names = oauthEnvNames(spec)
    config.oauth[names.clientId] = clientId
    config.oauth[names.clientSecret] = clientSecret
    configured.push(id)
  }
  return configured
}
