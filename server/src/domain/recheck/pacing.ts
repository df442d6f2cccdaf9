import { setTimeout as sleep } from 'node:timers/promises'
import type { ProviderId } from '@cloudlink/shared'

/** Checks a lane must have timed before it is paced (until then it runs at its concurrency). */
const MIN_SAMPLES = 8
/** Weight of the newest check in a lane's running average. */
const EWMA = 0.05
/** Paced lanes keep this much more in flight than the bare estimate, so they end before the slowest. */
const HEADROOM = 1.25
/** How often a worker held back looks again whether it may go. */
const RECHECK_MS = 500

interface Lane {
  limit: number
  /** Due accounts not yet handled by this sweep, as counted at the start. */
  remaining: number
  avgMs: number
  samples: number
  exhausted: boolean
}

/**
 * Lane pacing. A sweep lasts as long as its slowest lane: accounts × time per check ÷ concurrency.
 * A quicker lane at full concurrency ends early and, while it runs, crowds the CPU, the database
 * and the network the slowest lane still needs. Paced, it keeps just enough checks in flight to end
 * a little before the slowest lane, so the same work is spread over the time the sweep takes anyway.
 * A lane is never paced below one check in flight, and never before every lane has timed a few
 * checks. The counts are estimates: on a fleet every instance counts every due account, which
 * overstates each lane by the same factor and leaves the proportions right; a lane whose count
 * runs out before its claims do goes back to full concurrency.
 */
export class LanePacer {
  private readonly lanes = new Map<ProviderId, Lane>()

  add(id: ProviderId, limit: number, due: number) {
    this.lanes.set(id, { limit, remaining: due, avgMs: 0, samples: 0, exhausted: false })
  }

  /** A check of the lane ended after `ms` (its claim is done with, whatever the outcome). */
  checked(id: ProviderId, ms: number) {
    const lane = this.lanes.get(id)
    if (!lane) return
    lane.remaining--
    lane.avgMs = lane.samples === 0 ? ms : lane.avgMs + EWMA * (ms - lane.avgMs)
    lane.samples++
  }

  /** The lane has nothing left to claim: it no longer sets the pace. */
  exhausted(id: ProviderId) {
    const lane = this.lanes.get(id)
    if (lane) lane.exhausted = true
  }

  /** How many of the lane's workers may have a check in flight now. */
  allowed(id: ProviderId): number {
    const lane = this.lanes.get(id)
    // An exhausted lane lets every worker through, to find the queue empty and end.
    if (!lane || lane.exhausted || lane.remaining <= 0) return lane?.limit ?? Infinity
    let slowestMs = 0
    for (const other of this.lanes.values()) {
      if (other.exhausted || other.remaining <= 0) continue
      if (other.samples < MIN_SAMPLES) return lane.limit
      slowestMs = Math.max(slowestMs, (other.remaining * other.avgMs) / other.limit)
    }
    if (slowestMs <= 0) return lane.limit
    const needed = Math.ceil(((lane.remaining * lane.avgMs) / slowestMs) * HEADROOM)
    return Math.min(lane.limit, Math.max(1, needed))
  }

  /** Resolves when worker `index` (0-based) of the lane may start a check, or `stop` aborts. */
  async turn(id: ProviderId, index: number, stop: AbortSignal): Promise<void> {
    while (index >= this.allowed(id) && !stop.aborted)
      await sleep(RECHECK_MS, undefined, { signal: stop }).catch(() => undefined)
  }
}
