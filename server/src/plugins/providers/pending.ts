import type { ProviderDescriptor, ProviderId } from '@cloudlink/shared'
import { unreachable } from './http.js'
import type { ProviderModule } from './types.js'
import { checkFields } from './validate.js'

/**
 * A provider Cloudlink lists but cannot connect in this build. It stays in the registry so the
 * exhaustiveness check keeps holding, and shows as unavailable with the reason in its notes.
 */
export function pendingProvider(
  descriptor: ProviderDescriptor & { id: ProviderId },
): ProviderModule {
  const module: ProviderModule = {
    descriptor,
    origins: {},
    available: () => false,
    validate: (c) => checkFields(descriptor.fields, c),
    verify: async () =>
      unreachable('network', `${descriptor.name} is not available in this installation`),
    listServers: async () =>
      unreachable('network', `${descriptor.name} is not available in this installation`),
    hint: () => '••••',
    canonical: (c) => JSON.stringify(c),
  }
  return module
}
