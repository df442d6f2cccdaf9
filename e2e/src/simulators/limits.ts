import type { ProviderSpec, RateInfo } from './spec.js'

/** Simulator time: wall clock plus an offset tests can advance instead of waiting. */
export function createClock() {
  let offsetMs = 0
  return {
    now: () => Date.now() + offsetMs,
    advance(seconds: number) {
      offsetMs += seconds * 1000
    },
  }
}
export type Clock = ReturnType<typeof createClock>

/** Fixed-window request counter per credential or client, as wide as the provider's real quota. */
export function createRateWindows(config: ProviderSpec['rateLimit'], clock: Clock) {
  const windows = new Map<string, { start: number; count: number }>()
  return {
    hit(key: string): RateInfo & { exceeded: boolean } {
      const now = clock.now()
      const windowMs = config.windowSeconds * 1000
      let w = windows.get(key)
      if (!w || now - w.start >= windowMs) windows.set(key, (w = { start: now, count: 0 }))
      w.count++
      const resetMs = w.start + windowMs
      return {
        limit: config.limit,
        remaining: Math.max(0, config.limit - w.count),
        reset: Math.ceil(resetMs / 1000),
        retryAfter: Math.max(1, Math.ceil((resetMs - now) / 1000)),
        exceeded: w.count > config.limit,
      }
    },
    clear: () => windows.clear(),
  }
}

/** Counts consecutive failed logins per client and blocks it for a while after too many. */
export function createLockout(config: { attempts: number; seconds: number }, clock: Clock) {
  const clients = new Map<string, { failures: number; blockedUntil: number }>()
  return {
    isBlocked: (ip: string) => (clients.get(ip)?.blockedUntil ?? 0) > clock.now(),
    fail(ip: string) {
      const c = clients.get(ip) ?? { failures: 0, blockedUntil: 0 }
      c.failures++
      if (c.failures >= config.attempts) {
        c.blockedUntil = clock.now() + config.seconds * 1000
        c.failures = 0
      }
      clients.set(ip, c)
    },
    succeed: (ip: string) => clients.delete(ip),
    clear: () => clients.clear(),
  }
}
