import type { EntityManager } from '@mikro-orm/postgresql'
import { apiTokenDto, type ApiTokenRow } from '../api-tokens/tokens-service.js'
import { recordTokenEventOnce } from './events.js'

/** Owners are told this long before a token expires (the contract's 7 days). */
export const TOKEN_WARNING_MS = 7 * 24 * 60 * 60 * 1000

/** Tokens to warn about: live, expiring within 7 days, not warned about yet. Shared with due.ts. */
export function expiringCondition(now: Date): { sql: string; params: unknown[] } {
  return {
    sql: `t.revoked_at is null and t.expires_at > ? and t.expires_at <= ?
      and not exists (select 1 from notification_events e
                       where e.token_id = t.id and e.type = 'token.expiring')`,
    params: [now, new Date(now.getTime() + TOKEN_WARNING_MS)],
  }
}

/**
 * Records one `token.expiring` per API token that expires within 7 days, carrying the token as the
 * API lists it (never its value). Once per token: instances racing on the same token meet the
 * unique (token, type) index, and the loser's insert does nothing.
 */
export async function detectExpiringTokens(
  em: EntityManager,
  now: Date,
  limit = 100,
): Promise<number> {
  return em.transactional(async (tx) => {
    const due = expiringCondition(now)
    const rows = await tx.execute<(ApiTokenRow & { workspace_id: string })[]>(
      `select t.id, t.workspace_id, t.name, t.hint, t.scopes, t.account_ids, t.read_only,
              t.expires_at, t.created_at, t.created_by, u.name as creator_name,
              u.email as creator_email, t.last_used_at, t.last_used_ip
         from api_tokens t left join users u on u.id = t.created_by
        where ${due.sql}
        order by t.expires_at limit ?`,
      [...due.params, limit],
    )
    let recorded = 0
    for (const row of rows) {
      const id = await recordTokenEventOnce(tx, {
        workspaceId: row.workspace_id,
        type: 'token.expiring',
        tokenId: row.id,
        data: { token: apiTokenDto(row) },
        at: now,
      })
      if (id) recorded++
    }
    return recorded
  })
}
