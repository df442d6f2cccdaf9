import { defineEntity, p, type InferEntity } from '@mikro-orm/core'

/**
 * A person's TOTP second factor: the secret sealed by the vault (its envelope like a cloud
 * account's), pending until `confirmedAt`. `lastUsedStep` is the time step of the last accepted
 * code: a code is accepted only for a later step, so none is accepted twice.
 */
export const UserMfaEntity = defineEntity({
  name: 'UserMfa',
  tableName: 'user_mfa',
  properties: {
    userId: p.uuid().primary(),
    keyId: p.string().length(40),
    wrappedKey: p.blob(),
    sealedSecret: p.blob(),
    confirmedAt: p.datetime().nullable(),
    lastUsedStep: p.bigint('number').nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
})
export type UserMfa = InferEntity<typeof UserMfaEntity>
