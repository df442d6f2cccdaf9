import { defineEntity, p, type InferEntity } from '@mikro-orm/core'

/** Session tokens ended by logout before their expiry; rows past `expiresAt` can be purged. */
export const RevokedSessionEntity = defineEntity({
  name: 'RevokedSession',
  tableName: 'revoked_sessions',
  properties: {
    jti: p.uuid().primary(),
    expiresAt: p.datetime(),
  },
})
export type RevokedSession = InferEntity<typeof RevokedSessionEntity>
