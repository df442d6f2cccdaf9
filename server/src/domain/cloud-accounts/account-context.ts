import type { EntityManager } from '@mikro-orm/postgresql'
import type { ProviderContext } from '../../providers/core/types.js'
import type { ProviderRegistry } from '../../providers/registry.js'
import { budgetedContext, budgetKey } from '../budget/ledger.js'

/**
 * The provider context for calls with one account's credential: the provider's own, plus the
 * credential's shared request budget where the provider has one (checks and broker calls alike).
 */
export function accountContext(
  deps: { em: EntityManager; providers: ProviderRegistry },
  account: { provider: Parameters<ProviderRegistry['get']>[0]; fingerprint: string },
): ProviderContext {
  const module = deps.providers.get(account.provider)
  const ctx = deps.providers.context(account.provider)
  const budget = module.limits?.budget
  if (!budget) return ctx
  return budgetedContext(ctx, {
    em: deps.em,
    key: budgetKey(account),
    budget,
    providerName: module.descriptor.name,
  })
}
