import type { EntityManager } from '@mikro-orm/postgresql'

/** A workspace of the person requires a second factor they do not have: enrol before anything else. */
export async function mfaEnrolmentRequired(em: EntityManager, userId: string): Promise<boolean> {
  const [row] = await em.execute<{ required: boolean }[]>(
    `select exists (
       select 1 from memberships m join workspaces w on w.id = m.workspace_id
       where m.user_id = ? and w.require_mfa
     ) and not exists (
       select 1 from user_mfa f where f.user_id = ? and f.confirmed_at is not null
     ) as required`,
    [userId, userId],
  )
  return row?.required === true
}
