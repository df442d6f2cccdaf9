import type { ProviderModule } from './types.js'
import { settle } from './outcome.js'
import { checkFields } from './validate.js'

/** What a provider folder writes: a module whose `validate` may default to its declared fields. */
export type ProviderSpec<C extends Record<string, string>> = Omit<ProviderModule<C>, 'validate'> & {
  validate?: ProviderModule<C>['validate']
}

/**
 * A provider module from its spec. `validate` defaults to the generic check of its declared fields,
 * and verify/listServers are settled here once: whatever a provider throws becomes a verdict
 * (rejected only when the provider said so; anything else unreachable), never an exception.
 */
export function defineProvider<C extends Record<string, string>>(
  spec: ProviderSpec<C>,
): ProviderModule<C> {
  const name = spec.descriptor.name
  return {
    ...spec,
    validate: spec.validate ?? ((c) => checkFields(spec.descriptor.fields, c) as C),
    verify: (ctx, c) => settle(name, () => spec.verify(ctx, c)),
    listServers: (ctx, c) => settle(name, () => spec.listServers(ctx, c)),
  }
}
