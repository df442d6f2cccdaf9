import { setTimeout as sleep } from 'node:timers/promises'
import type { ProviderId } from '@cloudlink/shared'
import {
  type ResponseHeaders,
  retryAfterSeconds,
  UnreachableError,
  type ProviderHttp,
} from '../../providers/core/http.js'
import type { RequestBudget } from '../../providers/core/types.js'
import type { ProviderRegistry } from '../../providers/registry.js'

export type { RequestBudget } from '../../providers/core/types.js'

/**
 * The door to one provider during a sweep: every request waits out a pause (Retry-After, an
 * exhausted rate-limit counter) and, where the provider has one (its module's `limits.budget`), a
 * sliding-window request budget.
 */
export class ProviderGate {
  private pausedUntil = 0
  /** Send times of the requests still inside the budget window, oldest first. */
  private readonly sent: number[] = []

  constructor(
    private readonly budget: RequestBudget | undefined,
    private readonly maxPauseMs: number,
  ) {}

  /** Holds requests back for `ms` (capped: a provider asking for an hour must not stall the sweep). */
  pause(ms: number) {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + Math.min(ms, this.maxPauseMs))
  }

  /** Resolves when one request may go out (and counts it); rejects when `signal` aborts. */
  async acquire(signal: AbortSignal): Promise<void> {
    for (;;) {
      signal.throwIfAborted()
      const now = Date.now()
      let wait = this.pausedUntil - now
      if (this.budget) {
        const { requests, perMs } = this.budget
        while (this.sent.length > 0 && (this.sent[0] as number) <= now - perMs) this.sent.shift()
        if (this.sent.length >= requests)
          wait = Math.max(wait, (this.sent[0] as number) + perMs - now)
      }
      if (wait <= 0) {
        if (this.budget) this.sent.push(now)
        return
      }
      await sleep(wait, undefined, { signal })
    }
  }

  /** Learns from an answer: an exhausted counter or a rate-limit refusal pauses the provider. */
  observe(headers: ResponseHeaders) {
    const remaining = headers.get('ratelimit-remaining') ?? headers.get('x-ratelimit-remaining')
    if (remaining === null || Number(remaining) > 0) return
    this.pause((retryAfterSeconds(headers) ?? 1) * 1000)
  }
}

/**
 * The registry as the sweep sees it: identical, except that every provider request passes the
 * provider's gate. Checks still go through the accounts service (one code path for every check).
 */
export function gatedRegistry(
  registry: ProviderRegistry,
  gateOf: (id: ProviderId) => ProviderGate,
  signal: AbortSignal,
): ProviderRegistry {
  const contexts = new Map<ProviderId, ReturnType<ProviderRegistry['context']>>()
  const gated = (id: ProviderId, http: ProviderHttp): ProviderHttp => ({
    url: http.url,
    async request(origin, path, opts) {
      const gate = gateOf(id)
      await gate.acquire(signal)
      try {
        const res = await http.request(origin, path, opts)
        gate.observe(res.headers)
        return res
      } catch (err: unknown) {
        if (err instanceof UnreachableError && err.result.reason === 'rate_limited')
          gate.pause((err.result.retryAfter ?? 1) * 1000)
        throw err
      }
    },
  })
  return {
    ...registry,
    context(id) {
      let ctx = contexts.get(id)
      if (!ctx) {
        const inner = registry.context(id)
        ctx = { ...inner, http: gated(id, inner.http) }
        contexts.set(id, ctx)
      }
      return ctx
    },
  }
}
