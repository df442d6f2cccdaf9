import { startSimulator, type Simulator } from '@cloudlink/e2e/simulators'
import type { ProviderId } from '@cloudlink/shared'
import { createProviderHttp } from '../../src/providers/core/http.js'
import { providerModules } from '../../src/providers/index.js'
import type { ProviderContext, ProviderModule } from '../../src/providers/core/types.js'
import { ApiError } from '../../src/errors.js'

type Test = { teardown(fn: () => unknown): void }

/** A provider module talking to its own simulator over real HTTP, as the app would. */
export async function simContext(
  t: Test,
  id: ProviderId,
): Promise<{ sim: Simulator; module: ProviderModule; ctx: ProviderContext }> {
  const sim = await startSimulator(id)
  t.teardown(() => sim.close())
  const module = providerModules[id]
  const ctx = {
    http: createProviderHttp({
      providerName: module.descriptor.name,
      origins: module.origins,
      override: sim.url,
      timeoutMs: 1500,
    }),
  }
  return { sim, module, ctx }
}

/** The field a format check names, or null when the credential passes. */
export function invalidField(module: ProviderModule, credentials: Record<string, string>) {
  try {
    module.validate(credentials)
    return null
  } catch (err: unknown) {
    if (!(err instanceof ApiError) || err.statusCode !== 400) throw err
    return (err.details as { field: string }[])[0]?.field ?? null
  }
}
