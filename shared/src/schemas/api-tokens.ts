import { Type, type Static } from 'typebox'
import { IdSchema, NullableTimestampSchema, TimestampSchema } from './common.js'
import { TextSchema } from './text.js'
import { ActorSchema } from './cloud-accounts.js'

/**
 * What an API token may do. `accounts:read`: the member's read routes for cloud accounts, servers
 * and checks; `accounts:manage`: connect, edit, recheck, reconnect, remove; `accounts:use`: the
 * broker. Members, invitations, audit, tokens and workspaces are never reachable with a token.
 */
export const TOKEN_SCOPES = ['accounts:read', 'accounts:manage', 'accounts:use'] as const
export type TokenScope = (typeof TOKEN_SCOPES)[number]
export const TokenScopeSchema = Type.Enum(TOKEN_SCOPES)

/** `clk_` + 43 base62 characters (256 bits): a prefix secret scanners can recognise. */
export const API_TOKEN_PREFIX = 'clk_'
export const API_TOKEN_PATTERN = '^clk_[0-9A-Za-z]{40,}$'
export const API_TOKEN_HEADER = 'x-cloudlink-token'
export const API_TOKEN_DEFAULT_DAYS = 90
export const API_TOKEN_MAX_DAYS = 365

export const ApiTokenSchema = Type.Object({
  id: IdSchema,
  name: Type.String(),
  /** `clk_••••` + the last 4 characters. */
  hint: Type.String(),
  scopes: Type.Array(TokenScopeSchema),
  accountIds: Type.Union([Type.Array(IdSchema), Type.Null()]),
  readOnly: Type.Boolean(),
  expiresAt: TimestampSchema,
  createdAt: TimestampSchema,
  createdBy: Type.Union([ActorSchema, Type.Null()]),
  lastUsedAt: NullableTimestampSchema,
  lastUsedIp: Type.Union([Type.String(), Type.Null()]),
})
export type ApiToken = Static<typeof ApiTokenSchema>

export const CreatedApiTokenSchema = Type.Intersect([
  ApiTokenSchema,
  Type.Object({ token: Type.String() }),
])
export type CreatedApiToken = Static<typeof CreatedApiTokenSchema>

export const ApiTokenListSchema = Type.Object({ items: Type.Array(ApiTokenSchema) })
export type ApiTokenList = Static<typeof ApiTokenListSchema>

export const CreateApiTokenBodySchema = Type.Object(
  {
    name: TextSchema({ minLength: 1, maxLength: 100 }),
    scopes: Type.Array(TokenScopeSchema, { minItems: 1, maxItems: 3, uniqueItems: true }),
    accountIds: Type.Optional(
      Type.Array(IdSchema, { minItems: 1, maxItems: 100, uniqueItems: true }),
    ),
    readOnly: Type.Optional(Type.Boolean()),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: API_TOKEN_MAX_DAYS })),
  },
  { additionalProperties: false },
)
export type CreateApiTokenBody = Static<typeof CreateApiTokenBodySchema>

export const ApiTokenParamsSchema = Type.Object({ workspaceId: IdSchema, tokenId: IdSchema })
export type ApiTokenParams = Static<typeof ApiTokenParamsSchema>

/** Who did something in the audit trail: a person, or an API token acting for its workspace. */
export const AuditActorSchema = Type.Union([
  Type.Object({
    type: Type.Literal('user'),
    id: IdSchema,
    name: Type.String(),
    email: Type.String(),
  }),
  Type.Object({ type: Type.Literal('token'), id: IdSchema, name: Type.String() }),
])
export type AuditActor = Static<typeof AuditActorSchema>
