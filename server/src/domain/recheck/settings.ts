import { PROVIDER_IDS, type ProviderId } from '@cloudlink/shared'
import { ConfigError, type Config } from '../../config.js'
import { providerModules } from '../../providers/index.js'

/**
 * An account is due when its last check is older than this. Shorter than a day on purpose: a daily
 * sweep that starts a little earlier than yesterday's (or ran long) still finds every account due,
 * while a manual recheck a few hours before the sweep counts as today's check.
 */
export const RECHECK_PERIOD_MS = 20 * 60 * 60 * 1000

/**
 * How long a claim keeps other instances off an account by default (RECHECK_LEASE_MS). A check
 * takes at most two provider timeouts (verify + list, PROVIDER_TIMEOUT_MS ≤ 120 s), and the sweep
 * never starts a check on a claim older than half the lease, so a live worker always finishes well
 * inside its lease while a crashed one's claims come free within minutes.
 */
export const RECHECK_LEASE_MS = 10 * 60 * 1000

/**
 * Parses RECHECK_CONCURRENCY (`4` or `4,hetzner-robot=1,digitalocean=8`). An unknown provider id or a
 * zero fails at boot, naming the variable. The default never exceeds a provider's own
 * `limits.maxConcurrency` (Hetzner Robot: 1); an explicit per-provider value does.
 */
export function parseConcurrency(spec: string): (provider: ProviderId) => number {
  let fallback = 4
  const overrides = new Map<string, number>()
  for (const part of spec.split(',')) {
    const [id, value] = part.includes('=') ? part.split('=') : [undefined, part]
    const n = Number(value)
    if (!Number.isInteger(n) || n < 1)
      throw new ConfigError('RECHECK_CONCURRENCY', `"${part}": concurrency must be at least 1`)
    if (id === undefined) fallback = n
    else if (!(PROVIDER_IDS as readonly string[]).includes(id))
      throw new ConfigError('RECHECK_CONCURRENCY', `"${id}" is not a provider id`)
    else overrides.set(id, n)
  }
  return (provider) =>
    overrides.get(provider) ??
    Math.min(fallback, providerModules[provider].limits?.maxConcurrency ?? fallback)
}

/**
 * Heap limits for the recheck worker. A sweep allocates fast (HTTP, ORM) but keeps little: about
 * 70 MB live with 176 checks in flight. Without a cap V8 lets the heap grow to ~350 MB before it
 * collects; with one it collects sooner. The cap grows with the checks in flight, so raising
 * RECHECK_CONCURRENCY cannot run the worker out of memory.
 */
export const workerResourceLimits = (inFlight: number) => ({
  maxOldGenerationSizeMb: Math.max(128, Math.ceil(inFlight / 2)),
  maxYoungGenerationSizeMb: 32,
})

/** The sweep settings both the worker and the in-process (embedded) runner use. */
export const recheckSettings = (
  config: Pick<Config, 'RECHECK_CONCURRENCY' | 'RECHECK_LEASE_MS'>,
) => ({
  period: RECHECK_PERIOD_MS,
  leaseMs: config.RECHECK_LEASE_MS,
  concurrency: parseConcurrency(config.RECHECK_CONCURRENCY),
})
