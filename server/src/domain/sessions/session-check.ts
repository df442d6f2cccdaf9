import type { EntityManager } from '@mikro-orm/postgresql'
import type { Role } from '@cloudlink/shared'
import type { UserRef } from '../../db/entities/index.js'

/** What one session check learns; reads may reuse it while the change feed vouches for it. */
export interface SessionCheck {
  user: UserRef
  /** Role in the workspace the check was for; null for a non-member or a route without one. */
  role: Role | null
  /** The workspace's revision (0 without a workspace). */
  revision: number
  /** The person has a confirmed second factor. */
  mfa: boolean
  /** The workspace requires a second factor of its members (false without a workspace). */
  requireMfa: boolean
  /** The session's last password or code confirmation (ms since the epoch): sudo mode. */
  reauthAt: number
}

interface Row extends UserRef {
  mfa: boolean
  reauth_at: Date | string
  role: Role | null
  require_mfa: boolean | null
  revision: string | null
}

/**
 * One round trip for the session row, its user, their second factor and (on workspace routes) the
 * role, the workspace's MFA rule and its revision. Null when the session is unknown or ended (its
 * token may still carry a valid signature: sign-out, a password change or "end session").
 */
export async function checkSession(
  em: EntityManager,
  input: { sessionId: string; userId: string; workspaceId: string | null },
): Promise<SessionCheck | null> {
  const ws = input.workspaceId
  const rows = await em.getConnection().execute<Row[]>(
    `select u.id, u.email, u.name, s.reauth_at,
            exists (select 1 from user_mfa f where f.user_id = u.id and f.confirmed_at is not null) as mfa,
            (select m.role from memberships m where m.workspace_id = ? and m.user_id = u.id) as role,
            (select w.require_mfa from workspaces w where w.id = ?) as require_mfa,
            (select r.revision from workspace_revisions r where r.workspace_id = ?) as revision
     from sessions s join users u on u.id = s.user_id
     where s.id = ? and s.user_id = ? and s.ended_at is null`,
    [ws, ws, ws, input.sessionId, input.userId],
  )
  const row = rows[0]
  if (!row) return null
  return {
    // A plain object, not an ORM entity: hydrating one cost more than the whole query.
    user: { id: row.id, email: row.email, name: row.name },
    role: row.role,
    // No row yet means nothing was ever written in this workspace: revision 0.
    revision: Number(row.revision ?? 0),
    mfa: row.mfa === true,
    requireMfa: row.require_mfa === true,
    reauthAt: new Date(row.reauth_at).getTime(),
  }
}
