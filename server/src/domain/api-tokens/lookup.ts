import type { EntityManager } from '@mikro-orm/postgresql'
import type { TokenScope } from '@cloudlink/shared'
import type { TokenIdentity } from './caller.js'

export interface ActiveToken {
  token: TokenIdentity
  /** When the token stops working (ms since the epoch): a cached lookup must not outlive it. */
  expiresAt: number
  /** Its workspace's data revision, read in the same round trip (see the read cache). */
  revision: number
}

interface Row {
  id: string
  name: string
  workspace_id: string
  scopes: TokenScope[]
  account_ids: string[] | null
  read_only: boolean
  expires_at: Date | string
  revision: string | null
}

/**
 * The token with this hash if it works now (not revoked, not expired), with its workspace's
 * revision: one indexed query. Unknown, revoked and expired tokens look the same to the caller.
 */
export async function findActiveToken(
  em: EntityManager,
  tokenHash: string,
): Promise<ActiveToken | null> {
  const rows = await em.getConnection().execute<Row[]>(
    `select t.id, t.name, t.workspace_id, t.scopes, t.account_ids, t.read_only, t.expires_at,
            (select w.revision from workspace_revisions w where w.workspace_id = t.workspace_id) as revision
     from api_tokens t
     where t.token_hash = ? and t.revoked_at is null and t.expires_at > now()`,
    [tokenHash],
  )
  const row = rows[0]
  if (!row) return null
  return {
    token: {
      id: row.id,
      name: row.name,
      workspaceId: row.workspace_id,
      scopes: row.scopes,
      accountIds: row.account_ids,
      readOnly: row.read_only,
    },
    expiresAt: new Date(row.expires_at).getTime(),
    // No row yet means nothing was ever written in this workspace: revision 0.
    revision: Number(row.revision ?? 0),
  }
}

/**
 * Records a use, at most once a minute per token across every instance: the condition makes the
 * other instances' writes within the minute no-ops (and takes no lock when there is nothing to do).
 */
export async function recordTokenUse(em: EntityManager, tokenId: string, ip: string) {
  await em.getConnection().execute(
    `update api_tokens set last_used_at = now(), last_used_ip = ?
     where id = ? and (last_used_at is null or last_used_at < now() - interval '1 minute')`,
    [ip.slice(0, 64), tokenId],
  )
}
