import type { Provider } from '@cloudlink/shared'

/** How an owner connects a provider: a credential typed in, or one-click OAuth consent. */
export type ConnectMethod = 'credential' | 'oauth'

/** The ways a provider connects, the usual one first (DigitalOcean: token, then one click). */
export function connectMethods(provider: Provider): ConnectMethod[] {
  if (provider.authType === 'oauth') return ['oauth']
  return provider.oauth ? ['credential', 'oauth'] : ['credential']
}

export const offersOAuth = (provider: Provider): boolean =>
  connectMethods(provider).includes('oauth')

/**
 * Whether this installation can connect a provider that way, and the provider's note for it. An
 * OAuth-only provider carries its one-click state in `available`/`notes`; a provider offering
 * one-click beside a credential carries it in `oauth`.
 */
export function methodState(
  provider: Provider,
  method: ConnectMethod,
): { available: boolean; note: string | undefined } {
  if (method === 'oauth' && provider.authType !== 'oauth')
    return { available: provider.oauth?.available ?? false, note: provider.oauth?.note }
  return { available: provider.available, note: provider.notes }
}
