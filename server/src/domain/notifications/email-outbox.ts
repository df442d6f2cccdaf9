import type { MikroORM } from '@mikro-orm/postgresql'
import type { EmailRecipient } from '../../db/entities/index.js'
import type { Mailer } from '../mail/mail.js'
import { nextAttemptAt, type NotifySettings } from './settings.js'

interface EmailRow {
  id: string
  recipients: EmailRecipient[]
  subject: string
  text: string
  html: string
  attempts: number
  created_at: Date
}

/** A failure as it may be stored: nodemailer's code and the server's reply, never the URL. */
function mailError(err: unknown): string {
  if (!(err instanceof Error)) return 'sending failed'
  const e = err as Error & { code?: string; responseCode?: number }
  return [e.code, e.responseCode, e.message].filter(Boolean).join(' ').slice(0, 500)
}

/**
 * Sends due queued emails: claimed with a lease (SKIP LOCKED, like the sweep's accounts), sent,
 * and settled only by the claim's holder. A message that keeps failing is retried with backoff for
 * the retry window, then marked failed. `told` records the owners the server accepted it for.
 */
export async function sendDueEmails(
  orm: MikroORM,
  mailer: Mailer,
  opts: { now: () => Date; settings: NotifySettings; limit?: number },
): Promise<number> {
  const now = opts.now()
  const until = new Date(now.getTime() + opts.settings.leaseMs)
  const rows = await orm.em.fork().execute<EmailRow[]>(
    `update notification_emails set claimed_until = ?, attempts = attempts + 1
      where id in (select id from notification_emails
                    where status = 'pending' and next_attempt_at <= ?
                      and (claimed_until is null or claimed_until < ?)
                    order by next_attempt_at limit ? for update skip locked)
      returning id, recipients, subject, text, html, attempts, created_at`,
    [until, now, now, opts.limit ?? 10],
  )
  for (const row of rows) {
    let settled: { status: string; next: Date | null; told: EmailRecipient[]; error: string | null }
    try {
      const result = await mailer.send({
        to: row.recipients.map((r) => r.email),
        subject: row.subject,
        text: row.text,
        html: row.html,
      })
      const accepted = new Set(result.accepted)
      const told = row.recipients.filter((r) => accepted.has(r.email.toLowerCase()))
      settled = { status: 'sent', next: null, told, error: null }
    } catch (err: unknown) {
      const at = opts.now()
      const next = nextAttemptAt(opts.settings, row.attempts, new Date(row.created_at), at)
      settled = { status: next ? 'pending' : 'failed', next, told: [], error: mailError(err) }
    }
    const at = opts.now()
    await orm.em.fork().execute(
      `update notification_emails
          set status = ?, next_attempt_at = coalesce(?, next_attempt_at), claimed_until = null,
              sent_at = case when ? = 'sent' then ?::timestamptz else sent_at end,
              told = ?::jsonb, last_error = ?
        where id = ? and claimed_until = ?`,
      [
        settled.status,
        settled.next,
        settled.status,
        at,
        JSON.stringify(settled.told),
        settled.error,
        row.id,
        until,
      ],
    )
  }
  return rows.length
}
