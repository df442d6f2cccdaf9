import { randomUUID } from 'node:crypto'
import type { EntityManager } from '@mikro-orm/postgresql'
import {
  API_TOKEN_DEFAULT_DAYS,
  TOKEN_SCOPES,
  type ApiToken as ApiTokenDto,
  type CreateApiTokenBody,
  type CreatedApiToken,
  type TokenScope,
} from '@cloudlink/shared'
import { ApiTokenEntity, type UserRef } from '../../db/entities/index.js'
import { notFound, validationFailed } from '../../errors.js'
import { apiTokenHint, generateApiToken, hashApiToken } from './token.js'

const DAY_MS = 24 * 60 * 60 * 1000

export interface ApiTokenRow {
  id: string
  name: string
  hint: string
  scopes: TokenScope[]
  account_ids: string[] | null
  read_only: boolean
  expires_at: Date | string
  created_at: Date | string
  created_by: string | null
  creator_name: string | null
  creator_email: string | null
  last_used_at: Date | string | null
  last_used_ip: string | null
}

const iso = (v: Date | string) => new Date(v).toISOString()

/** A token row (with its creator's name and email) as the API shows it. */
export const apiTokenDto = (r: ApiTokenRow): ApiTokenDto => ({
  id: r.id,
  name: r.name,
  hint: r.hint,
  scopes: r.scopes,
  accountIds: r.account_ids,
  readOnly: r.read_only,
  expiresAt: iso(r.expires_at),
  createdAt: iso(r.created_at),
  createdBy:
    r.created_by === null
      ? null
      : { id: r.created_by, name: r.creator_name ?? '', email: r.creator_email ?? '' },
  lastUsedAt: r.last_used_at === null ? null : iso(r.last_used_at),
  lastUsedIp: r.last_used_ip,
})

/** Every account named must be one of the workspace's; the answer names the first that is not. */
async function checkAccounts(em: EntityManager, workspaceId: string, accountIds: string[]) {
  const rows = await em
    .getConnection()
    .execute<{ id: string }[]>(
      `select id from cloud_accounts where workspace_id = ? and id = any(array[?]::uuid[])`,
      [workspaceId, accountIds],
    )
  const known = new Set(rows.map((r) => r.id))
  const missing = accountIds.find((id) => !known.has(id.toLowerCase()))
  if (missing !== undefined)
    throw validationFailed('accountIds', `${missing} is not a cloud account of this workspace`)
}

/**
 * Mints a token. Its value is in the answer this once; the database keeps its hash and a hint.
 * Scopes are stored in a fixed order, so the same choice always reads the same.
 */
export async function createApiToken(
  em: EntityManager,
  workspaceId: string,
  actor: UserRef,
  body: CreateApiTokenBody,
): Promise<CreatedApiToken> {
  const scopes = TOKEN_SCOPES.filter((s) => body.scopes.includes(s))
  const readOnly = body.readOnly ?? false
  // Every manage route writes: a read-only token with only that scope could do nothing at all.
  if (readOnly && scopes.every((s) => s === 'accounts:manage'))
    throw validationFailed('readOnly', 'a read-only token needs accounts:read or accounts:use')
  const accountIds = body.accountIds?.map((id) => id.toLowerCase()) ?? null
  if (accountIds) await checkAccounts(em, workspaceId, accountIds)
  const token = generateApiToken()
  const now = new Date()
  const row = {
    id: randomUUID(),
    workspaceId,
    name: body.name.trim(),
    tokenHash: hashApiToken(token),
    hint: apiTokenHint(token),
    scopes,
    accountIds,
    readOnly,
    expiresAt: new Date(now.getTime() + (body.expiresInDays ?? API_TOKEN_DEFAULT_DAYS) * DAY_MS),
    createdAt: now,
    createdBy: actor.id,
    revokedAt: null,
    lastUsedAt: null,
    lastUsedIp: null,
  }
  await em.insert(ApiTokenEntity, row)
  return {
    ...apiTokenDto({
      id: row.id,
      name: row.name,
      hint: row.hint,
      scopes,
      account_ids: accountIds,
      read_only: readOnly,
      expires_at: row.expiresAt,
      created_at: now,
      created_by: actor.id,
      creator_name: actor.name,
      creator_email: actor.email,
      last_used_at: null,
      last_used_ip: null,
    }),
    token,
  }
}

/** The workspace's tokens that were not revoked (expired ones too: their owner may want to see them), newest first. */
export async function listApiTokens(
  em: EntityManager,
  workspaceId: string,
): Promise<ApiTokenDto[]> {
  const rows = await em.getConnection().execute<ApiTokenRow[]>(
    `select t.id, t.name, t.hint, t.scopes, t.account_ids, t.read_only, t.expires_at, t.created_at,
            t.created_by, u.name as creator_name, u.email as creator_email,
            t.last_used_at, t.last_used_ip
     from api_tokens t left join users u on u.id = t.created_by
     where t.workspace_id = ? and t.revoked_at is null
     order by t.created_at desc, t.id desc`,
    [workspaceId],
  )
  return rows.map(apiTokenDto)
}

/**
 * Revokes a token for good. The row stays (the audit trail names it); the database announces the
 * change (Migration20261208100000), so every instance drops its cached lookup at once.
 */
export async function revokeApiToken(
  em: EntityManager,
  workspaceId: string,
  tokenId: string,
): Promise<{ id: string; name: string }> {
  const rows = await em.getConnection().execute<{ id: string; name: string }[]>(
    `update api_tokens set revoked_at = now()
       where id = ? and workspace_id = ? and revoked_at is null returning id, name`,
    [tokenId, workspaceId],
  )
  const revoked = rows[0]
  if (!revoked) throw notFound('API token')
  return revoked
}
