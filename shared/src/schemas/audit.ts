import { Type, type Static } from 'typebox'
import { IdSchema, PageQuerySchema, TimestampSchema } from './common.js'
import { ProviderIdSchema } from '../providers.js'
import { AuditActorSchema } from './api-tokens.js'

export const AUDIT_ACTIONS = [
  'account.connect',
  'account.reconnect',
  'account.recheck',
  'account.update',
  'account.set_default',
  'account.remove',
  'account.use_session',
  'member.invite',
  'member.invite_revoke',
  'member.join',
  'member.role_change',
  'member.remove',
  'token.create',
  'token.revoke',
  'workspace.update',
  'member.password_reset',
  'user.password_change',
  'user.password_reset',
  'user.mfa_enable',
  'user.mfa_disable',
  'user.session_end',
  'webhook.create',
  'webhook.update',
  'webhook.remove',
  'webhook.test',
  'notification.update',
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]

export const AUDIT_OUTCOMES = ['success', 'rejected', 'unreachable', 'failed'] as const
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number]

export const AuditEntrySchema = Type.Object({
  id: IdSchema,
  at: TimestampSchema,
  /** A person (`type: 'user'`), an API token (`type: 'token'`), or null for the server itself. */
  actor: Type.Union([AuditActorSchema, Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  action: Type.Enum(AUDIT_ACTIONS),
  provider: Type.Optional(ProviderIdSchema),
  accountId: Type.Optional(IdSchema),
  outcome: Type.Enum(AUDIT_OUTCOMES),
  message: Type.Optional(Type.String()),
})
export type AuditEntry = Static<typeof AuditEntrySchema>

export const AuditPageSchema = Type.Object({
  items: Type.Array(AuditEntrySchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
})
export type AuditPage = Static<typeof AuditPageSchema>

/** The audit page's filters, all optional, combined with AND; the cursor pages within them. */
export const AuditQuerySchema = Type.Object(
  {
    ...PageQuerySchema.properties,
    action: Type.Optional(Type.Enum(AUDIT_ACTIONS)),
    outcome: Type.Optional(Type.Enum(AUDIT_OUTCOMES)),
    accountId: Type.Optional(IdSchema),
    /** A person's or an API token's id. */
    actorId: Type.Optional(IdSchema),
  },
  { additionalProperties: false },
)
export type AuditQuery = Static<typeof AuditQuerySchema>
