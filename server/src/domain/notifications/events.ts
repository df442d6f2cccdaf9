import { randomUUID } from 'node:crypto'
import type { EntityManager } from '@mikro-orm/postgresql'
import type {
  AccountStatus,
  CloudAccount as CloudAccountDto,
  EventType,
  NotificationEvent,
} from '@cloudlink/shared'

export interface NewEvent {
  workspaceId: string
  type: EventType
  accountId?: string
  tokenId?: string
  /** A test event goes to this webhook only. */
  webhookId?: string
  /** What the webhook body's `data` carries besides the workspace id. */
  data: { account?: CloudAccountDto; token?: object }
  at?: Date
}

async function insertEvent(tx: EntityManager, event: NewEvent, once: boolean) {
  const id = randomUUID()
  // tx.execute joins the caller's transaction (getConnection().execute would not).
  const rows = await tx.execute<{ id: string }[]>(
    `insert into notification_events
       (id, workspace_id, type, account_id, token_id, webhook_id, data, created_at, email_state)
     values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
     ${once ? 'on conflict (token_id, type) where token_id is not null do nothing' : ''}
     returning id`,
    [
      id,
      event.workspaceId,
      event.type,
      event.accountId ?? null,
      event.tokenId ?? null,
      event.webhookId ?? null,
      JSON.stringify(event.data),
      event.at ?? new Date(),
      // A test is for one webhook's receiver; people are not mailed about it.
      event.type === 'test' ? 'none' : 'pending',
    ],
  )
  return rows[0]?.id ?? null
}

/**
 * Writes an event into the outbox through the caller's transaction: it commits with the change
 * that caused it, or not at all. Nothing is sent here; the notify job picks it up.
 */
export async function recordEvent(tx: EntityManager, event: NewEvent): Promise<string> {
  return (await insertEvent(tx, event, false)) as string
}

/**
 * The same for an event that exists at most once per token and type (token.expiring): a second
 * writer, on this instance or another, writes nothing and gets null.
 */
export async function recordTokenEventOnce(
  tx: EntityManager,
  event: NewEvent & { tokenId: string },
): Promise<string | null> {
  return insertEvent(tx, event, true)
}

export type CheckOutcomeKind = 'verified' | 'rejected' | 'unreachable'

/**
 * The event a check's verdict causes, or null. Only a change is news: a credential rejected again
 * says nothing new, and `unreachable` is no verdict at all (it never changes a status, so it never
 * notifies). A success after a stale warning, or after a broken status, is a recovery.
 */
export function accountEventOf(
  before: { status: AccountStatus; staleNotified: boolean },
  after: AccountStatus,
  outcome: CheckOutcomeKind,
): NotificationEvent | null {
  if (outcome === 'unreachable') return null
  if (after === before.status) {
    if (after === 'connected' && before.staleNotified) return 'account.recovered'
    return null
  }
  if (after === 'needs_attention') return 'account.needs_attention'
  if (after === 'expired') return 'account.expired'
  return 'account.recovered'
}
