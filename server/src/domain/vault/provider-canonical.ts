import type { ProviderModule } from '../../providers/core/types.js'
import { providerModules } from '../../providers/index.js'
import { RotationError } from './rotate.js'

const modules: Record<string, ProviderModule | undefined> = providerModules

/**
 * The text the credentials service fingerprints: the provider module's own `canonical`. Rotation
 * must use exactly this, or it could not re-key the fingerprints duplicate detection relies on.
 */
export function providerCanonical(provider: string, credential: unknown): string {
  const module = modules[provider]
  if (!module) throw new RotationError(`no provider module for "${provider}"`)
  return module.canonical(credential as Record<string, string>)
}
