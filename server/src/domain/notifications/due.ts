import type { EntityManager } from '@mikro-orm/postgresql'
import type { NotifySettings } from './settings.js'
import { staleCondition } from './stale.js'
import { expiringCondition } from './token-expiry.js'

/**
 * Whether the notify job has anything to do now: one cheap query, so an instance can look every
 * half minute without starting a worker thread for nothing. Mirrors the job's own conditions
 * (stale.ts, dispatch.ts, digest.ts and the two outboxes) loosely: a false "yes" only costs a
 * worker that finds nothing and ends.
 */
export async function hasDueWork(
  em: EntityManager,
  opts: { now: Date; settings: NotifySettings; mail: boolean },
): Promise<boolean> {
  const { now, settings } = opts
  const stale = staleCondition(now)
  const expiring = expiringCondition(now)
  const [row] = await em.execute<{ due: boolean }[]>(
    `select exists (select 1 from notification_events where dispatched_at is null)
         or exists (select 1 from webhook_deliveries
                     where status = 'pending' and next_attempt_at <= ?
                       and (claimed_until is null or claimed_until < ?))
         or (? and exists (select 1 from notification_emails
                     where status = 'pending' and next_attempt_at <= ?
                       and (claimed_until is null or claimed_until < ?)))
         or (? and exists (select 1 from notification_events where email_state = 'pending'
                     and (created_at < ? or not exists (
                           select 1 from cloud_accounts where claimed_until > ?)))
             )
         or exists (select 1 from cloud_accounts where ${stale.sql})
         or exists (select 1 from api_tokens t where ${expiring.sql}) as due`,
    [
      now,
      now,
      opts.mail,
      now,
      now,
      opts.mail,
      new Date(now.getTime() - settings.digestMaxWaitMs),
      now,
      ...stale.params,
      ...expiring.params,
    ],
  )
  return row?.due === true
}
