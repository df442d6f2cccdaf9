import type { ProviderModule } from './types.js'
import { unknownProbe, type Probe } from './probe.js'
import { settle } from './outcome.js'
import { checkFields } from './validate.js'

/** What a provider folder writes: a module whose `validate` may default to its declared fields. */
export type ProviderSpec<C extends Record<string, string>> = Omit<
  ProviderModule<C>,
  'validate' | 'probe'
> & {
  validate?: ProviderModule<C>['validate']
  /** Default: `unknown` for every capability, with the descriptor's permissions as guidance. */
  probe?: Probe<C>
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
    // A probe that throws as a whole learnt nothing: every capability keeps its last known access.
    probe: async (ctx, c, capabilities) => {
      const probe = spec.probe ?? unknownProbe(guidanceOf(spec))
      try {
        return await probe(ctx, c, capabilities)
      } catch {
        return {}
      }
    },
  }
}

const guidanceOf = (spec: { descriptor: { name: string; permissions: string[] } }) =>
  `${spec.descriptor.name} offers no side-effect-free way to tell what a credential may do; it needs: ${spec.descriptor.permissions.join('; ')}`
