import { defineEntity, p, type InferEntity } from '@mikro-orm/core'

/** One single-use recovery code: a SHA-256 of a random salt and the code, never the code. */
export const RecoveryCodeEntity = defineEntity({
  name: 'RecoveryCode',
  tableName: 'recovery_codes',
  properties: {
    id: p.uuid().primary(),
    userId: p.uuid(),
    salt: p.string().length(32),
    codeHash: p.string().length(64),
    usedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
})
export type RecoveryCode = InferEntity<typeof RecoveryCodeEntity>
