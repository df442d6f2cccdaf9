import type { MikroORM } from '@mikro-orm/postgresql'
import type { Mailer } from '../mail/mail.js'
import type { Vault } from '../vault/vault.js'
import { queueDigests } from './digest.js'
import { dispatchEvents } from './dispatch.js'
import { sendDueEmails } from './email-outbox.js'
import type { NotifyEnvironment, NotifySettings } from './settings.js'
import { detectStale } from './stale.js'
import { detectExpiringTokens } from './token-expiry.js'
import type { Resolver } from './url-policy.js'
import { deliverDue } from './webhook-outbox.js'

export interface NotifyLog {
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

/** What one run did. */
export interface NotifyCounts {
  stale: number
  /** token.expiring events recorded. */
  tokens: number
  events: number
  digests: number
  attempts: number
  emails: number
}

/** Lets a sleeping run be woken early (new events were announced); a wake while busy is kept. */
export function createWakeup() {
  let waiting: (() => void) | null = null
  let pending = false
  return {
    wake() {
      if (waiting) waiting()
      else pending = true
    },
    wait(ms: number, signal: AbortSignal): Promise<void> {
      if (pending || signal.aborted) {
        pending = false
        return Promise.resolve()
      }
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer)
          signal.removeEventListener('abort', done)
          waiting = null
          resolve()
        }
        const timer = setTimeout(done, ms)
        signal.addEventListener('abort', done, { once: true })
        waiting = done
      })
    },
  }
}
export type Wakeup = ReturnType<typeof createWakeup>

export interface NotifyRunOptions {
  orm: MikroORM
  vault: Vault
  /** Null when the installation sends no email. */
  mailer: Mailer | null
  env: NotifyEnvironment
  settings: NotifySettings
  log: NotifyLog
  /** Stops the run: in-flight attempts are cut and their deliveries given back. */
  signal: AbortSignal
  wakeup?: Wakeup
  now?: () => Date
  resolve?: Resolver
}

const DAY = 24 * 60 * 60 * 1000
const describe = (err: unknown) =>
  err instanceof Error ? { name: err.name, message: err.message } : { message: String(err) }

/** Old finished work goes: events and emails after 90 days (the accounts page reads them). */
async function prune(orm: MikroORM, now: Date) {
  const em = orm.em.fork()
  const before = new Date(now.getTime() - 90 * DAY)
  await em.execute(
    `delete from notification_events e
      where created_at < ? and dispatched_at is not null and email_state <> 'pending'
        and not exists (select 1 from webhook_deliveries d where d.event_id = e.id and d.status = 'pending')`,
    [before],
  )
  await em.execute(`delete from notification_emails where status <> 'pending' and created_at < ?`, [
    before,
  ])
}

/**
 * The notify job: turns the outbox into webhook deliveries and emails until nothing is due for
 * `idleMs`, then ends (the jobs plugin starts it again when events are announced, and looks for due
 * retries every half minute). Each step claims its rows, so any number of instances run it at once.
 */
export async function runNotifications(opts: NotifyRunOptions): Promise<NotifyCounts> {
  const { orm, settings, signal, log } = opts
  const now = opts.now ?? (() => new Date())
  const wakeup = opts.wakeup ?? createWakeup()
  const counts: NotifyCounts = {
    stale: 0,
    tokens: 0,
    events: 0,
    digests: 0,
    attempts: 0,
    emails: 0,
  }
  const deliveryDeps = {
    orm,
    vault: opts.vault,
    env: opts.env,
    settings,
    now,
    signal,
    ...(opts.resolve ? { resolve: opts.resolve } : {}),
  }

  const pass = async (): Promise<number> => {
    const stale = await detectStale(orm.em.fork(), now())
    const tokens = await detectExpiringTokens(orm.em.fork(), now())
    const events = await dispatchEvents(orm.em.fork(), { now: now(), mail: opts.mailer !== null })
    const digests = opts.mailer
      ? await queueDigests(orm.em.fork(), { now: now(), publicUrl: opts.env.publicUrl, settings })
      : 0
    const attempts = signal.aborted ? 0 : await deliverDue(deliveryDeps)
    const emails =
      opts.mailer && !signal.aborted ? await sendDueEmails(orm, opts.mailer, { now, settings }) : 0
    counts.stale += stale
    counts.tokens += tokens
    counts.events += events
    counts.digests += digests
    counts.attempts += attempts
    counts.emails += emails
    return stale + tokens + events + digests + attempts + emails
  }

  try {
    await prune(orm, now())
  } catch (err: unknown) {
    log.warn({ err: describe(err) }, 'notify: pruning failed')
  }
  let idleSince = performance.now()
  while (!signal.aborted) {
    let did = 0
    try {
      did = await pass()
    } catch (err: unknown) {
      // A database hiccup: nothing is lost (claims run out), so wait a little and try again.
      if (!signal.aborted) log.error({ err: describe(err) }, 'notify: pass failed')
    }
    if (did > 0) {
      idleSince = performance.now()
      continue
    }
    if (performance.now() - idleSince >= settings.idleMs) break
    await wakeup.wait(settings.pollMs, signal)
  }
  return counts
}
