import { defineEntity, p, type InferEntity } from '@mikro-orm/core'
import type { TokenScope } from '@cloudlink/shared'

/** Machine access to one workspace. Only a SHA-256 of the token is kept (see api-tokens/token.ts). */
export const ApiTokenEntity = defineEntity({
  name: 'ApiToken',
  tableName: 'api_tokens',
  properties: {
    id: p.uuid().primary(),
    workspaceId: p.uuid(),
    name: p.string().length(100),
    tokenHash: p.string().length(64).unique(),
    /** `clk_••••` + the last 4 characters: enough to tell tokens apart, useless to an attacker. */
    hint: p.string().length(20),
    scopes: p.array<TokenScope>((s) => s as TokenScope).columnType('text[]'),
    /** null: every account of the workspace. */
    accountIds: p.array().columnType('uuid[]').nullable(),
    readOnly: p.boolean().default(false),
    expiresAt: p.datetime(),
    createdAt: p.datetime().onCreate(() => new Date()),
    createdBy: p.uuid().nullable(),
    revokedAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
    lastUsedIp: p.string().length(64).nullable(),
  },
})
export type ApiToken = InferEntity<typeof ApiTokenEntity>
