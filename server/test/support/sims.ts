import { startSimulator, type Simulator } from '@cloudlink/e2e/simulators'
import { providerUrlEnvName, type ProviderId } from '@cloudlink/shared'

type Test = { teardown(fn: () => unknown): void }

/** Starts simulators and returns them with the PROVIDER_URL_* config that points the app at them. */
export async function simulators(t: Test, ids: ProviderId[]) {
  const sims = new Map<ProviderId, Simulator>()
  for (const id of ids) {
    const sim = await startSimulator(id)
    t.teardown(() => sim.close())
    sims.set(id, sim)
  }
  const config = Object.fromEntries([...sims].map(([id, sim]) => [providerUrlEnvName(id), sim.url]))
  const sim = (id: ProviderId) => {
    const s = sims.get(id)
    if (!s) throw new Error(`simulator ${id} not started`)
    return s
  }
  return { sims, config, sim }
}
