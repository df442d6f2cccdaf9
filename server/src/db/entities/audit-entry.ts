import { defineEntity, p, type InferEntity } from '@mikro-orm/core'
import { AUDIT_ACTIONS, AUDIT_OUTCOMES, PROVIDER_IDS } from '@cloudlink/shared'

/** Append-only. Actor name and email are copied so the trail survives a removed user or token. */
export const AuditEntryEntity = defineEntity({
  name: 'AuditEntry',
  tableName: 'audit_entries',
  properties: {
    id: p.uuid().primary(),
    workspaceId: p.uuid(),
    at: p.datetime(),
    /** Who actorId/actorName name: a person or an API token (tokens have no email). */
    actorType: p
      .enum(['user', 'token'] as const)
      .length(10)
      .nullable(),
    actorId: p.uuid().nullable(),
    actorName: p.string().length(100).nullable(),
    actorEmail: p.string().length(254).nullable(),
    ip: p.string().length(64).nullable(),
    action: p.enum(AUDIT_ACTIONS),
    provider: p.enum(PROVIDER_IDS).length(40).nullable(),
    accountId: p.uuid().nullable(),
    outcome: p.enum(AUDIT_OUTCOMES),
    message: p.text().nullable(),
  },
})
export type AuditEntry = InferEntity<typeof AuditEntryEntity>
