import { randomUUID } from 'node:crypto'
import type { EntityManager } from '@mikro-orm/postgresql'
import type { ApiToken, CloudAccount, NotificationEvent } from '@cloudlink/shared'
import type { EmailRecipient } from '../../db/entities/index.js'
import { renderDigest, type DigestItem, type RenderedMail } from './email-content.js'
import type { NotifySettings } from './settings.js'

/** Owners of the workspace who have not turned email off. */
export async function emailRecipients(
  tx: EntityManager,
  workspaceId: string,
): Promise<EmailRecipient[]> {
  const rows = await tx.execute<{ id: string; email: string; name: string }[]>(
    `select u.id, u.email, u.name from memberships m
       join users u on u.id = m.user_id
       left join notification_preferences p on p.workspace_id = m.workspace_id and p.user_id = m.user_id
      where m.workspace_id = ? and m.role = 'owner' and coalesce(p.email, true)
      order by u.email`,
    [workspaceId],
  )
  return rows.map((r) => ({ userId: r.id, email: r.email, name: r.name }))
}

/** Queues a message to the workspace's owners in the caller's transaction; false if nobody wants it. */
export async function queueEmail(
  tx: EntityManager,
  input: {
    workspaceId: string
    kind: 'digest' | 'webhook_disabled'
    accountIds?: string[]
    mail: RenderedMail
    now: Date
  },
): Promise<boolean> {
  const recipients = await emailRecipients(tx, input.workspaceId)
  if (recipients.length === 0) return false
  await tx.execute(
    `insert into notification_emails (id, workspace_id, kind, account_ids, recipients, subject, text,
       html, status, attempts, next_attempt_at, created_at, told)
     values (?, ?, ?, string_to_array(?, ',')::uuid[], ?::jsonb, ?, ?, ?, 'pending', 0, ?, ?, '[]')`,
    [
      randomUUID(),
      input.workspaceId,
      input.kind,
      (input.accountIds ?? []).join(','),
      JSON.stringify(recipients),
      input.mail.subject,
      input.mail.text,
      input.mail.html,
      input.now,
      input.now,
    ],
  )
  return true
}

interface PendingRow {
  id: string
  type: NotificationEvent
  account_id: string | null
  token_id: string | null
  data: { account?: CloudAccount; token?: ApiToken }
}

/**
 * Turns each workspace's pending email events into one message. A recheck sweep makes its
 * changes over minutes, on several instances at once, so a workspace waits while any sweep holds
 * claims (on any instance) and until its newest event is `digestSettleMs` old: the owners get one
 * message per sweep. `digestMaxWaitMs` bounds the wait (a crashed sweep's claims linger).
 */
export async function queueDigests(
  em: EntityManager,
  opts: { now: Date; publicUrl: string; settings: NotifySettings },
): Promise<number> {
  const { now, settings } = opts
  const [{ sweeping } = { sweeping: false }] = await em.execute<{ sweeping: boolean }[]>(
    `select exists (select 1 from cloud_accounts where claimed_until > ?) as sweeping`,
    [now],
  )
  const waiting = await em.execute<{ workspace_id: string; newest: Date; oldest: Date }[]>(
    `select workspace_id, max(created_at) as newest, min(created_at) as oldest
       from notification_events where email_state = 'pending' group by workspace_id`,
  )
  const ready = waiting.filter(
    (w) =>
      (!sweeping && now.getTime() - new Date(w.newest).getTime() >= settings.digestSettleMs) ||
      now.getTime() - new Date(w.oldest).getTime() >= settings.digestMaxWaitMs,
  )
  let queued = 0
  for (const { workspace_id: workspaceId } of ready) {
    queued += await em.transactional(async (tx) => {
      const events = await tx.execute<PendingRow[]>(
        `select id, type, account_id, token_id, data from notification_events
          where workspace_id = ? and email_state = 'pending'
          order by created_at for update skip locked`,
        [workspaceId],
      )
      if (events.length === 0) return 0
      // One entry per account (its latest event: needs attention, then works again = recovered)
      // and per expiring token.
      const latest = new Map<string, DigestItem>()
      for (const e of events) {
        if (e.type === 'token.expiring' && e.token_id && e.data.token)
          latest.set(e.token_id, { event: e.type, token: e.data.token, workspaceId })
        else if (e.type !== 'token.expiring' && e.account_id && e.data.account)
          latest.set(e.account_id, { event: e.type, account: e.data.account })
      }
      const [workspace] = await tx.execute<{ id: string; name: string }[]>(
        `select id, name from workspaces where id = ?`,
        [workspaceId],
      )
      const items = [...latest.values()]
      const sent =
        workspace && items.length > 0
          ? await queueEmail(tx, {
              workspaceId,
              kind: 'digest',
              accountIds: events.flatMap((e) => (e.account_id ? [e.account_id] : [])),
              mail: renderDigest({ workspace, items, publicUrl: opts.publicUrl }),
              now,
            })
          : false
      await tx.execute(
        `update notification_events set email_state = ? where id = any(array[?]::uuid[])`,
        [sent ? 'queued' : 'none', events.map((e) => e.id)],
      )
      return sent ? 1 : 0
    })
  }
  return queued
}
