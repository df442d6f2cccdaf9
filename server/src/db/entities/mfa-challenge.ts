import { defineEntity, p, type InferEntity } from '@mikro-orm/core'

/**
 * A sign-in waiting for its second factor (the `mfaToken`, kept as a SHA-256): single use, five
 * minutes, ended by the fifth wrong code.
 */
export const MfaChallengeEntity = defineEntity({
  name: 'MfaChallenge',
  tableName: 'mfa_challenges',
  properties: {
    id: p.uuid().primary(),
    tokenHash: p.string().length(64).unique(),
    userId: p.uuid(),
    failures: p.integer().default(0),
    expiresAt: p.datetime(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
})
export type MfaChallenge = InferEntity<typeof MfaChallengeEntity>
