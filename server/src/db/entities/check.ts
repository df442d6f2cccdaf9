import { defineEntity, p, type InferEntity } from '@mikro-orm/core'
import { CHECK_OUTCOMES, CHECK_TRIGGERS } from '@cloudlink/shared'

export const CheckEntity = defineEntity({
  name: 'Check',
  tableName: 'checks',
  properties: {
    id: p.uuid().primary(),
    accountId: p.uuid(),
    at: p.datetime(),
    trigger: p.enum(CHECK_TRIGGERS),
    outcome: p.enum(CHECK_OUTCOMES),
    message: p.text(),
    latencyMs: p.integer(),
  },
})
export type Check = InferEntity<typeof CheckEntity>
