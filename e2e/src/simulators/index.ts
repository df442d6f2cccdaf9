import type { ProviderId } from '@cloudlink/shared'
import { startProviderSimulator } from './core.js'
import { providerSpecs, simulatedProviders } from './registry.js'
import type { Simulator } from './types.js'

/**
 * Loopback stand-ins for the providers' real HTTP APIs (real paths, auth, bodies, rate limits),
 * for tests and the app's sandbox mode. Each also serves a control API under `/__sim/`.
 */

export type {
  CredentialOptions,
  Credentials,
  DemoCredentials,
  Fault,
  Identity,
  RequestLogEntry,
  Scopes,
  SimServer,
  Simulator,
} from './types.js'
export type { ProviderSpec } from './spec.js'
export { demoCredentials, simulatedProviders } from './registry.js'

export async function startSimulator(
  id: ProviderId,
  opts: { port?: number } = {},
): Promise<Simulator> {
  const spec = providerSpecs[id]
  if (!spec) throw new Error(`no simulator for provider '${id}' (have: ${simulatedProviders})`)
  return startProviderSimulator(spec, opts)
}

/** One server (port) per provider; if one fails to start, the others are closed again. */
export async function startSimulators(
  ids: ProviderId[] = simulatedProviders,
): Promise<Map<ProviderId, Simulator>> {
  const started = await Promise.allSettled(ids.map((id) => startSimulator(id)))
  const sims = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
  const failure = started.find((r) => r.status === 'rejected')
  if (failure) {
    await Promise.all(sims.map((sim) => sim.close()))
    throw failure.reason
  }
  return new Map(sims.map((sim) => [sim.id, sim]))
}
