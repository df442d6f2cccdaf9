import { defineEntity, p, type InferEntity } from '@mikro-orm/core'

/**
 * A one-time password reset link (kept as a SHA-256 of its token): issued by a workspace owner
 * (`workspaceId`, `createdBy`) or the operator's CLI (both null); one hour, single use.
 */
export const PasswordResetEntity = defineEntity({
  name: 'PasswordReset',
  tableName: 'password_resets',
  properties: {
    id: p.uuid().primary(),
    tokenHash: p.string().length(64).unique(),
    userId: p.uuid(),
    workspaceId: p.uuid().nullable(),
    createdBy: p.uuid().nullable(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
})
export type PasswordReset = InferEntity<typeof PasswordResetEntity>
