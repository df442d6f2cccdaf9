import { defineEntity, p, type InferEntity } from '@mikro-orm/core'

/**
 * One sign-in, keyed by its token's jti. The token is honoured only while this row exists and is
 * not ended; `reauthAt` is the last password or code confirmation (sudo mode), the sign-in itself
 * first. `ip` is the address it was last seen from.
 */
export const SessionEntity = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  properties: {
    id: p.uuid().primary(),
    userId: p.uuid(),
    createdAt: p.datetime(),
    expiresAt: p.datetime(),
    lastSeenAt: p.datetime(),
    ip: p.string().length(64).nullable(),
    userAgent: p.string().length(512).nullable(),
    reauthAt: p.datetime(),
    endedAt: p.datetime().nullable(),
  },
})
export type Session = InferEntity<typeof SessionEntity>
