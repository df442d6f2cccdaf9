import type { EntityManager } from '@mikro-orm/postgresql'

/** An owner's email setting in a workspace: on unless they turned it off. */
export async function emailEnabled(
  em: EntityManager,
  workspaceId: string,
  userId: string,
): Promise<boolean> {
  const [row] = await em.execute<{ email: boolean }[]>(
    `select email from notification_preferences where workspace_id = ? and user_id = ?`,
    [workspaceId, userId],
  )
  return row?.email ?? true
}

export async function setEmailEnabled(
  em: EntityManager,
  workspaceId: string,
  userId: string,
  email: boolean,
): Promise<void> {
  await em.execute(
    `insert into notification_preferences (workspace_id, user_id, email, updated_at)
     values (?, ?, ?, ?)
     on conflict (workspace_id, user_id) do update set email = excluded.email, updated_at = excluded.updated_at`,
    [workspaceId, userId, email, new Date()],
  )
}
