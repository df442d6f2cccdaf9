import { Type, type Static } from 'typebox'
import { IdSchema, NullableTimestampSchema, TimestampSchema } from './common.js'
import { CredentialValueSchema, TextSchema } from './text.js'
import { CapabilitySchema, ProviderIdSchema } from '../providers.js'

export const ACCOUNT_STATUSES = ['connected', 'needs_attention', 'expired'] as const
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number]
export const AccountStatusSchema = Type.Enum(ACCOUNT_STATUSES)

export const CHECK_OUTCOMES = ['ok', 'rejected', 'unreachable'] as const
export type CheckOutcome = (typeof CHECK_OUTCOMES)[number]
export const CheckOutcomeSchema = Type.Enum(CHECK_OUTCOMES)

export const CHECK_TRIGGERS = ['connect', 'reconnect', 'manual', 'scheduled'] as const
export type CheckTrigger = (typeof CHECK_TRIGGERS)[number]

export const UNREACHABLE_REASONS = ['timeout', 'network', 'server_error', 'rate_limited'] as const
export type UnreachableReason = (typeof UNREACHABLE_REASONS)[number]

export const IdentitySchema = Type.Object({
  id: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
})
export type Identity = Static<typeof IdentitySchema>

export const LastCheckSchema = Type.Object({
  outcome: CheckOutcomeSchema,
  at: TimestampSchema,
  message: Type.String(),
  latencyMs: Type.Integer(),
})
export type LastCheck = Static<typeof LastCheckSchema>

export const CAPABILITY_LEVELS = ['write', 'read', 'none', 'unknown'] as const
export type CapabilityLevel = (typeof CAPABILITY_LEVELS)[number]

/**
 * What a credential was proven to be allowed to do with one capability, learnt without side effects:
 * `write` create and delete, `read` list only, `none` neither, `unknown` no safe way to tell.
 */
export const CapabilityAccessSchema = Type.Object({
  level: Type.Enum(CAPABILITY_LEVELS),
  /** The exact permissions or scopes to add (provider vocabulary). */
  missing: Type.Array(Type.String()),
  /** How it was learnt, e.g. `EC2 RunInstances DryRun → DryRunOperation`. */
  evidence: Type.String(),
  checkedAt: TimestampSchema,
})
export type CapabilityAccess = Static<typeof CapabilityAccessSchema>

/** Per capability the provider declares; absent until a probe answered once. */
export const AccountAccessSchema = Type.Object({
  compute: Type.Optional(CapabilityAccessSchema),
  dns: Type.Optional(CapabilityAccessSchema),
  storage: Type.Optional(CapabilityAccessSchema),
})
export type AccountAccess = Static<typeof AccountAccessSchema>

export const ActorSchema = Type.Object({ id: IdSchema, name: Type.String(), email: Type.String() })
export type Actor = Static<typeof ActorSchema>

export const CloudAccountSchema = Type.Object({
  id: IdSchema,
  workspaceId: IdSchema,
  provider: ProviderIdSchema,
  label: Type.String(),
  description: Type.String(),
  /** The masked hint, e.g. `dop_v1_••••1a2b`: the only trace of the secret that ever leaves the server. */
  hint: Type.String(),
  status: AccountStatusSchema,
  statusReason: Type.Union([Type.String(), Type.Null()]),
  identity: Type.Union([IdentitySchema, Type.Null()]),
  capabilities: Type.Array(CapabilitySchema),
  /** What the credential may do per capability, proven at connect, reconnect and every check. */
  access: AccountAccessSchema,
  isDefault: Type.Boolean(),
  serverCount: Type.Integer(),
  lastCheckedAt: NullableTimestampSchema,
  lastHealthyAt: NullableTimestampSchema,
  lastCheck: Type.Union([LastCheckSchema, Type.Null()]),
  /** No successful check for 3 days although the provider never rejected the credential. */
  stale: Type.Boolean(),
  warnings: Type.Array(Type.String()),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  createdBy: Type.Union([ActorSchema, Type.Null()]),
})
export type CloudAccount = Static<typeof CloudAccountSchema>

export const CloudAccountListSchema = Type.Object({ items: Type.Array(CloudAccountSchema) })
export type CloudAccountList = Static<typeof CloudAccountListSchema>

export const CloudAccountParamsSchema = Type.Object({ workspaceId: IdSchema, accountId: IdSchema })
export type CloudAccountParams = Static<typeof CloudAccountParamsSchema>

export const CloudAccountListQuerySchema = Type.Object(
  { provider: Type.Optional(ProviderIdSchema), status: Type.Optional(AccountStatusSchema) },
  { additionalProperties: false },
)
export type CloudAccountListQuery = Static<typeof CloudAccountListQuerySchema>

/**
 * Credential values by field name. A name outside the pattern is refused here; which names a
 * provider knows, and their formats, are checked server-side (unknown names are refused there).
 */
export const CredentialsSchema = Type.Record(
  Type.String({ pattern: '^[A-Za-z][A-Za-z0-9]{0,39}$' }),
  CredentialValueSchema,
  { maxProperties: 8, additionalProperties: false },
)
export type Credentials = Static<typeof CredentialsSchema>

export const LabelSchema = TextSchema({ minLength: 1, maxLength: 100 })
export const DescriptionSchema = TextSchema({ maxLength: 500, tabs: true })

export const ConnectBodySchema = Type.Object(
  {
    provider: ProviderIdSchema,
    label: LabelSchema,
    description: Type.Optional(DescriptionSchema),
    credentials: CredentialsSchema,
  },
  { additionalProperties: false },
)
export type ConnectBody = Static<typeof ConnectBodySchema>

export const UpdateAccountBodySchema = Type.Object(
  {
    label: Type.Optional(LabelSchema),
    description: Type.Optional(DescriptionSchema),
    isDefault: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateAccountBody = Static<typeof UpdateAccountBodySchema>

export const ReconnectBodySchema = Type.Object(
  { credentials: CredentialsSchema, allowAccountChange: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
)
export type ReconnectBody = Static<typeof ReconnectBodySchema>

export const ServerSchema = Type.Object({
  id: IdSchema,
  providerServerId: Type.String(),
  name: Type.String(),
  status: Type.String(),
  region: Type.Union([Type.String(), Type.Null()]),
  ipv4: Type.Union([Type.String(), Type.Null()]),
  /** The product line, where a provider has several (e.g. `dedicated`, `vps`, `instance`). */
  kind: Type.Optional(Type.String()),
  lastSeenAt: TimestampSchema,
})
export type Server = Static<typeof ServerSchema>

export const ServerListSchema = Type.Object({
  items: Type.Array(ServerSchema),
  /** Why the list is empty when the provider has no servers to list (e.g. DNS-only providers). */
  note: Type.Optional(Type.String()),
})
export type ServerList = Static<typeof ServerListSchema>

export const CheckSchema = Type.Object({
  id: IdSchema,
  at: TimestampSchema,
  trigger: Type.Enum(CHECK_TRIGGERS),
  outcome: CheckOutcomeSchema,
  message: Type.String(),
  latencyMs: Type.Integer(),
})
export type Check = Static<typeof CheckSchema>

export const CheckListSchema = Type.Object({ items: Type.Array(CheckSchema) })
export type CheckList = Static<typeof CheckListSchema>

/** `details` of PROVIDER_REJECTED. */
export interface ProviderRejectedDetails {
  reason: string
  providerStatus: number
  providerCode?: string
}
/** `details` of PROVIDER_UNREACHABLE. */
export interface ProviderUnreachableDetails {
  reason: UnreachableReason
  retryAfter?: number
}
