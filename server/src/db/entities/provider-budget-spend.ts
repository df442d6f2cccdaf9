import { defineEntity, p, type InferEntity } from '@mikro-orm/core'

/**
 * Requests spent with one credential in one short bucket (domain/budget/ledger.ts): the budget
 * every instance's checks and broker calls share. Written by SQL only; mapped for the schema's sake.
 */
export const ProviderBudgetSpendEntity = defineEntity({
  name: 'ProviderBudgetSpend',
  tableName: 'provider_budget_spend',
  properties: {
    budgetKey: p.string().length(120).primary(),
    windowStart: p.datetime().primary(),
    requests: p.integer(),
  },
})
export type ProviderBudgetSpend = InferEntity<typeof ProviderBudgetSpendEntity>
