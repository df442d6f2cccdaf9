import type { EntityManager } from '@mikro-orm/postgresql'

/**
 * Fans new events out, a batch per transaction: one pending delivery for every webhook of the
 * workspace that is on and subscribed to the type (a test event: its one webhook, on or off), and
 * no email when this installation sends none. SKIP LOCKED lets instances take different batches;
 * the unique (webhook, event) pair makes a repeat harmless.
 */
export async function dispatchEvents(
  em: EntityManager,
  opts: { now: Date; mail: boolean; limit?: number },
): Promise<number> {
  return em.transactional(async (tx) => {
    const rows = await tx.execute<{ id: string }[]>(
      `select id from notification_events where dispatched_at is null
        order by created_at limit ? for update skip locked`,
      [opts.limit ?? 200],
    )
    if (rows.length === 0) return 0
    const ids = rows.map((r) => r.id)
    await tx.execute(
      `insert into webhook_deliveries (id, webhook_id, event_id, status, attempts, next_attempt_at, created_at)
       select gen_random_uuid(), w.id, e.id, 'pending', 0, ?, ?
         from notification_events e join webhooks w on w.workspace_id = e.workspace_id
        where e.id = any(array[?]::uuid[])
          and case when e.webhook_id is null
                   then w.enabled and w.events @> jsonb_build_array(e.type)
                   else w.id = e.webhook_id end
       on conflict (webhook_id, event_id) do nothing`,
      [opts.now, opts.now, ids],
    )
    await tx.execute(
      `update notification_events
          set dispatched_at = ?,
              email_state = case when email_state = 'pending' and not ? then 'none' else email_state end
        where id = any(array[?]::uuid[])`,
      [opts.now, opts.mail, ids],
    )
    return ids.length
  })
}
