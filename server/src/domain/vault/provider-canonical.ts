import type { ProviderPlugin } from '../../plugins/providers/define.js'
import { providerPlugins } from '../../plugins/providers/registry.js'
import { RotationError } from './rotate.js'

const plugins: Record<string, ProviderPlugin | undefined> = providerPlugins

/**
 * The text the credentials service fingerprints: the provider module's own `canonical`. Rotation
 * must use exactly this, or it could not re-key the fingerprints duplicate detection relies on.
 */
export function providerCanonical(provider: string, credential: unknown): string {
  const plugin = plugins[provider]
  if (!plugin) throw new RotationError(`no provider module for "${provider}"`)
  return plugin.module.canonical(credential as Record<string, string>)
}
