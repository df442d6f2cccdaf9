import { randomInt } from 'node:crypto'
import { publicUrl, type Config } from '../../config.js'
import type { UrlPolicy } from './url-policy.js'

const HOUR = 60 * 60 * 1000

/** How the notify job paces itself. Every value has a production default; tests shorten them. */
export interface NotifySettings {
  /** Base of the exponential backoff between attempts (doubles each time, with jitter). */
  retryBaseMs: number
  /** The longest wait between two attempts. */
  retryMaxMs: number
  /** Attempts stop this long after the event (the contract's 24 hours). */
  retryWindowMs: number
  /** A webhook failing this long without one success is turned off (24 hours). */
  disableAfterMs: number
  /** Deadline of one webhook request, connect to last byte (10 s). */
  attemptTimeoutMs: number
  /** A claim keeps other instances off a delivery or email this long (a dead one's is retaken). */
  leaseMs: number
  /** A workspace's email waits until its newest event is this old (events of one sweep gather). */
  digestSettleMs: number
  /** ... but never longer than this, even while a sweep still runs somewhere. */
  digestMaxWaitMs: number
  /** Deliveries in flight per instance. */
  concurrency: number
  /** How often an idle job looks for due work, and how long it stays idle before it ends. */
  pollMs: number
  idleMs: number
}

export const DEFAULT_NOTIFY_SETTINGS: NotifySettings = {
  retryBaseMs: 5_000,
  retryMaxMs: HOUR,
  retryWindowMs: 24 * HOUR,
  disableAfterMs: 24 * HOUR,
  attemptTimeoutMs: 10_000,
  leaseMs: 60_000,
  digestSettleMs: 5_000,
  digestMaxWaitMs: HOUR,
  concurrency: 8,
  pollMs: 1_000,
  idleMs: 10_000,
}

/** What the job needs from the configuration: URL policy, links, mail. */
export interface NotifyEnvironment {
  policy: UrlPolicy
  publicUrl: string
  /** Whether this installation sends email (SMTP_URL). */
  mail: boolean
}

export const urlPolicy = (
  config: Pick<Config, 'WEBHOOK_ALLOW_HTTP' | 'WEBHOOK_ALLOW_PRIVATE'>,
): UrlPolicy => ({
  allowHttp: config.WEBHOOK_ALLOW_HTTP === '1',
  allowPrivate: config.WEBHOOK_ALLOW_PRIVATE === '1',
})

export const notifyEnvironment = (config: Config): NotifyEnvironment => ({
  policy: urlPolicy(config),
  publicUrl: publicUrl(config),
  mail: Boolean(config.SMTP_URL),
})

/**
 * When the next attempt may run after `attempts` failed ones, or null when it would fall outside
 * the retry window (the delivery is given up). Exponential with "equal jitter": half the delay
 * fixed, half random, so a receiver that comes back is not hit by every instance at once.
 */
export function nextAttemptAt(
  settings: Pick<NotifySettings, 'retryBaseMs' | 'retryMaxMs' | 'retryWindowMs'>,
  attempts: number,
  createdAt: Date,
  now: Date,
): Date | null {
  const delay = Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** Math.max(0, attempts - 1))
  const half = Math.floor(delay / 2)
  const next = new Date(now.getTime() + half + (half > 0 ? randomInt(half + 1) : 0))
  return next.getTime() > createdAt.getTime() + settings.retryWindowMs ? null : next
}
