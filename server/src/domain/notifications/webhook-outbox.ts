import { randomUUID } from 'node:crypto'
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql'
import type { EventType } from '@cloudlink/shared'
import type { Vault } from '../vault/vault.js'
import { sealedOfRow } from '../vault/sealed-row.js'
import { queueEmail } from './digest.js'
import { renderWebhookDisabled } from './email-content.js'
import { nextAttemptAt, type NotifyEnvironment, type NotifySettings } from './settings.js'
import type { Resolver } from './url-policy.js'
import { sendAttempt, type AttemptResult } from './webhook-send.js'

/** The delivery log keeps this many attempts per webhook. */
export const ATTEMPT_LOG = 100

interface ClaimedRow {
  id: string
  attempts: number
  created_at: Date | string
  webhook_id: string
  workspace_id: string
  url: string
  enabled: boolean
  key_id: string
  wrapped_key: Uint8Array
  ciphertext: Uint8Array
  event_id: string
  type: EventType
  target: string | null
  event_at: Date | string
  data: Record<string, unknown>
}

export interface DeliveryDeps {
  orm: MikroORM
  vault: Vault
  env: NotifyEnvironment
  settings: NotifySettings
  now: () => Date
  signal: AbortSignal
  resolve?: Resolver
}

/**
 * Claims due deliveries in one statement: SKIP LOCKED lets instances pass each other's rows and
 * the lease keeps them off once it commits; an instance that dies mid-attempt leaves a lease that
 * runs out, and another instance makes the attempt again, under the same `webhook-id`.
 */
async function claimDue(deps: DeliveryDeps, limit: number) {
  const now = deps.now()
  const until = new Date(now.getTime() + deps.settings.leaseMs)
  const rows = await deps.orm.em.fork().execute<ClaimedRow[]>(
    `update webhook_deliveries d set claimed_until = ?, attempts = d.attempts + 1
       from webhooks w, notification_events e
      where d.id in (select id from webhook_deliveries
                      where status = 'pending' and next_attempt_at <= ?
                        and (claimed_until is null or claimed_until < ?)
                      order by next_attempt_at limit ? for update skip locked)
        and w.id = d.webhook_id and e.id = d.event_id
      returning d.id, d.attempts, d.created_at, w.id as webhook_id, w.workspace_id, w.url, w.enabled,
                w.key_id, w.wrapped_key, w.ciphertext, e.id as event_id, e.type,
                e.webhook_id as target, e.created_at as event_at, e.data`,
    [until, now, now, limit],
  )
  return { rows, until }
}

/** Makes one attempt of every due delivery (up to the concurrency); returns how many. */
export async function deliverDue(deps: DeliveryDeps): Promise<number> {
  const { rows, until } = await claimDue(deps, deps.settings.concurrency)
  const outcomes = await Promise.allSettled(rows.map((row) => deliverOne(deps, row, until)))
  // A failure to record one attempt leaves its claim to run out (it is retried); the rest stand.
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')
  if (failed) throw failed.reason
  return rows.length
}

/** The webhook's signing secret; a row the vault cannot open fails its attempts, visibly. */
function openSecret(deps: DeliveryDeps, row: ClaimedRow): string | AttemptResult {
  try {
    return deps.vault.open<{ secret: string }>(sealedOfRow(row), {
      workspaceId: row.workspace_id,
      accountId: row.webhook_id,
    }).secret
  } catch {
    return {
      ok: false,
      responseStatus: null,
      durationMs: 0,
      error: 'the signing secret could not be opened (is its vault key still in VAULT_KEYS?)',
    }
  }
}

async function deliverOne(deps: DeliveryDeps, row: ClaimedRow, until: Date) {
  const em = deps.orm.em.fork()
  // Turned off since it was queued (a test event is sent to its webhook either way).
  if (!row.enabled && row.target !== row.webhook_id) {
    await em.execute(
      `update webhook_deliveries set status = 'cancelled', claimed_until = null, finished_at = ?
        where id = ? and claimed_until = ?`,
      [deps.now(), row.id, until],
    )
    return
  }
  const secret = openSecret(deps, row)
  if (typeof secret !== 'string')
    return em.transactional((tx) => settle(tx, deps, row, until, secret))
  const result = await sendAttempt({
    url: row.url,
    secret,
    message: {
      id: row.event_id,
      type: row.type,
      at: new Date(row.event_at),
      workspaceId: row.workspace_id,
      data: row.data,
    },
    policy: deps.env.policy,
    timeoutMs: deps.settings.attemptTimeoutMs,
    signal: deps.signal,
    ...(deps.resolve ? { resolve: deps.resolve } : {}),
  })
  if (deps.signal.aborted) {
    // Shutting down: not a verdict on the receiver. Give the delivery back for the next instance.
    await em.execute(
      `update webhook_deliveries set claimed_until = null, attempts = attempts - 1
        where id = ? and claimed_until = ?`,
      [row.id, until],
    )
    return
  }
  await em.transactional((tx) => settle(tx, deps, row, until, result))
}

/** Records the attempt: the delivery's new state (by the claim's holder only), the log, the webhook's health. */
async function settle(
  tx: EntityManager,
  deps: DeliveryDeps,
  row: ClaimedRow,
  until: Date,
  result: AttemptResult,
) {
  const now = deps.now()
  const next = result.ok
    ? null
    : nextAttemptAt(deps.settings, row.attempts, new Date(row.created_at), now)
  const status = result.ok ? 'delivered' : next ? 'pending' : 'failed'
  await tx.execute(
    `update webhook_deliveries
        set status = ?, next_attempt_at = coalesce(?, next_attempt_at), claimed_until = null,
            finished_at = case when ? = 'pending' then null else ?::timestamptz end
      where id = ? and claimed_until = ?`,
    [status, next, status, now, row.id, until],
  )
  await tx.execute(
    // Nothing to log for a webhook removed while its attempt ran (the log went with it).
    `insert into webhook_attempts (id, webhook_id, event_id, event, at, attempt, status,
       response_status, duration_ms, error)
     select ?, w.id, ?, ?, ?, ?, ?, ?, ?, ? from webhooks w where w.id = ?`,
    [
      randomUUID(),
      row.event_id,
      row.type,
      now,
      row.attempts,
      result.ok ? 'delivered' : 'failed',
      result.responseStatus,
      result.durationMs,
      result.error ?? null,
      row.webhook_id,
    ],
  )
  await tx.execute(
    `delete from webhook_attempts where webhook_id = ? and id not in (
       select id from webhook_attempts where webhook_id = ? order by at desc, id limit ${ATTEMPT_LOG})`,
    [row.webhook_id, row.webhook_id],
  )
  if (result.ok) {
    await tx.execute(
      `update webhooks set failing_since = null where id = ? and failing_since is not null`,
      [row.webhook_id],
    )
    return
  }
  await recordFailure(tx, deps, row, now, result.error ?? 'failed')
}

/**
 * A failure starts (or continues) the webhook's run of failures. After `disableAfterMs` of them
 * without a success the webhook is turned off, its pending deliveries cancelled, and the owners
 * told, all in one transaction; only the instance that turns it off sends that email.
 */
async function recordFailure(
  tx: EntityManager,
  deps: DeliveryDeps,
  row: ClaimedRow,
  now: Date,
  error: string,
) {
  const [state] = await tx.execute<{ failing_since: Date; enabled: boolean }[]>(
    `update webhooks set failing_since = coalesce(failing_since, ?) where id = ?
      returning failing_since, enabled`,
    [now, row.webhook_id],
  )
  const since = state ? new Date(state.failing_since).getTime() : now.getTime()
  if (!state?.enabled || now.getTime() - since < deps.settings.disableAfterMs) return
  const off = await tx.execute<{ id: string; url: string }[]>(
    `update webhooks set enabled = false, updated_at = ?, disabled_reason = ?
      where id = ? and enabled returning id, url`,
    [
      now,
      `Turned off after 24 hours of failed deliveries (last: ${error})`.slice(0, 500),
      row.webhook_id,
    ],
  )
  const webhook = off[0]
  if (!webhook) return
  await tx.execute(
    `update webhook_deliveries set status = 'cancelled', claimed_until = null, finished_at = ?
      where webhook_id = ? and status = 'pending'`,
    [now, webhook.id],
  )
  const [workspace] = await tx.execute<{ id: string; name: string }[]>(
    `select id, name from workspaces where id = ?`,
    [row.workspace_id],
  )
  if (!workspace || !deps.env.mail) return
  await queueEmail(tx, {
    workspaceId: workspace.id,
    kind: 'webhook_disabled',
    mail: renderWebhookDisabled({
      workspace,
      webhook: { url: webhook.url, lastError: error },
      publicUrl: deps.env.publicUrl,
    }),
    now,
  })
}
