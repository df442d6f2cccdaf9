import { setTimeout as sleep } from 'node:timers/promises'
import type { MikroORM } from '@mikro-orm/postgresql'
import type { ProviderId } from '@cloudlink/shared'
import type { ProviderRegistry } from '../../providers/registry.js'
import { createAccountsService } from '../cloud-accounts/accounts-service.js'
import type { GrantCheckRun } from '../oauth/fresh-grant.js'
import type { Vault } from '../vault/vault.js'
import {
  claimDue,
  countDue,
  createReleaser,
  finishSweep,
  releaseClaims,
  type Claim,
} from './claims.js'
import { createApplier } from './applier.js'
import { stopper } from './stopper.js'
import { gatedRegistry, ProviderGate, type RequestBudget } from './gate.js'
import { LanePacer } from './pacing.js'

export interface SweepLog {
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

export interface SweepOptions {
  orm: MikroORM
  vault: Vault
  providers: ProviderRegistry
  log: SweepLog
  /** The sweep's clock for "due" and leases (tests move it); checks are stamped by the service. */
  now?: () => Date
  /** An account is due when its last check is older than this (ms). */
  period: number
  leaseMs: number
  /** Checks in flight per provider. */
  concurrency: (provider: ProviderId) => number
  /** Stops the sweep: no new checks; in-flight ones get `graceMs` to finish, then are dropped. */
  signal?: AbortSignal
  /** Accounts claimed per round trip; default twice the provider's concurrency. */
  batchSize?: number
  /** A rate-limited account is retried in this sweep if the provider asks for at most this wait. */
  maxRetryWaitMs?: number
  graceMs?: number
  /** Replaces every provider's own budget (its module's `limits.budget`); for tests and benchmarks. */
  budgets?: Partial<Record<ProviderId, RequestBudget>>
}

export interface SweepCounts {
  /** Checks applied: ok + rejected + unreachable. */
  checked: number
  ok: number
  rejected: number
  unreachable: number
  /** Claimed but left due for the next sweep: rate limited for long, failed, or interrupted. */
  deferred: number
  /** Checked, but the credential was replaced meanwhile, so the verdict was dropped. */
  skipped: number
  durationMs: number
  /** True when the signal stopped the sweep before it ran out of due accounts. */
  aborted: boolean
}

/**
 * How long a verdict may wait for others to share its transaction (see createApplier): at a busy
 * sweep's pace this gathers about a dozen, and a quiet sweep writes each within this.
 */
const VERDICT_LINGER_MS = 50

/** Attempts per account when the provider keeps answering "rate limited". */
const MAX_ATTEMPTS = 3

const describe = (err: unknown) =>
  err instanceof Error ? { name: err.name, message: err.message } : { message: String(err) }

/**
 * One recheck sweep. Every available provider gets a lane of `concurrency` workers that claim due
 * accounts in small batches, check them through the accounts service (the code path of the manual
 * recheck, trigger `scheduled`) and release each claim once its check is applied. A lane waits
 * whenever its provider asks (Retry-After, exhausted rate-limit headers, Robot's hourly budget).
 */
export async function runSweep(opts: SweepOptions): Promise<SweepCounts> {
  const started = performance.now()
  const clock = opts.now ?? (() => new Date())
  const maxRetryWaitMs = opts.maxRetryWaitMs ?? 60_000
  const budgetOf = (id: ProviderId) =>
    opts.budgets ? opts.budgets[id] : opts.providers.get(id).limits?.budget
  const counts = { checked: 0, ok: 0, rejected: 0, unreachable: 0, skipped: 0 }

  const { stop, grace, halt, abandonable, dispose } = stopper(opts.signal, opts.graceMs ?? 5_000)

  /**
   * The leases this sweep holds on accounts not (yet) checked: only those left unchecked stay here
   * (failed, rate limited for long, interrupted) and are released at the end. A checked account
   * leaves at once, and claimDue's `sweepStarted` keeps it from being claimed twice, so memory
   * does not grow with the number of accounts swept.
   */
  const held = new Map<string, Date>()
  const sweepStarted = new Date()
  const applying = new Set<Promise<void>>()
  const gates = new Map<ProviderId, ProviderGate>()
  const gateOf = (id: ProviderId) => {
    let gate = gates.get(id)
    if (!gate) gates.set(id, (gate = new ProviderGate(budgetOf(id), maxRetryWaitMs)))
    return gate
  }
  const providers = gatedRegistry(opts.providers, gateOf, grace)
  const releaser = createReleaser(opts.orm, (err) =>
    opts.log.warn({ err: describe(err) }, 'recheck: release failed'),
  )
  const serviceFor = () =>
    createAccountsService({ em: opts.orm.em.fork(), vault: opts.vault, providers })

  const applier = createApplier(opts.orm, { maxBatch: 64, lingerMs: VERDICT_LINGER_MS })
  const pacer = new LanePacer()

  async function apply(claim: Claim, run: GrantCheckRun) {
    const { account } = claim
    try {
      // An applied verdict gives the claim back in its own update; a dropped one (the credential
      // was replaced meanwhile) leaves it to the releaser.
      if (await applier.apply({ checked: account, run, lease: claim.until })) {
        counts.checked++
        const outcome = run.result.outcome
        counts[outcome === 'verified' ? 'ok' : outcome]++
      } else {
        counts.skipped++
        releaser.add(claim)
      }
    } catch (err: unknown) {
      // The transaction rolled back: the claim is released at the end and the account stays due.
      opts.log.error({ accountId: account.id, err: describe(err) }, 'recheck: applying failed')
      return
    }
    held.delete(account.id)
  }

  async function lane(provider: ProviderId) {
    const limit = opts.concurrency(provider)
    const queue: Claim[] = []
    const retries: Claim[] = []
    const pending = new Set<Promise<void>>()
    let exhausted = false
    let refilling: Promise<void> | null = null

    const refill = async () => {
      const claims = await claimDue(opts.orm, {
        provider,
        limit: opts.batchSize ?? limit * 2,
        now: clock(),
        period: opts.period,
        leaseMs: opts.leaseMs,
        sweepStarted,
      })
      if (claims.length === 0) {
        exhausted = true
        pacer.exhausted(provider)
      }
      for (const claim of claims) {
        held.set(claim.account.id, claim.until)
        queue.push(claim)
      }
    }

    let refillError: unknown
    const startRefill = () => {
      refilling ??= refill()
        .catch((err: unknown) => {
          refillError ??= err
          exhausted = true
        })
        .finally(() => (refilling = null))
    }

    const next = async (): Promise<Claim | null> => {
      for (;;) {
        if (refillError !== undefined) throw refillError
        if (stop.aborted) return null
        const now = performance.now()
        const ready = retries.findIndex((c) => c.notBefore <= now)
        if (ready >= 0) return retries.splice(ready, 1)[0] as Claim
        const claim = queue.shift()
        // Claim the next batch while this one is still being checked: no worker waits for it.
        if (queue.length < limit && !exhausted) startRefill()
        if (claim) return claim
        if (refilling) await refilling
        else if (retries.length === 0) return null
        else {
          const wake = Math.min(...retries.map((c) => c.notBefore))
          await sleep(wake - now, undefined, { signal: stop }).catch(() => undefined)
        }
      }
    }

    const handle = async (claim: Claim) => {
      const { account } = claim
      // An old claim may be about to expire: leave it (held, released at the end) for later.
      if (performance.now() - claim.claimedAt > opts.leaseMs / 2) return
      const service = serviceFor()
      const started = performance.now()
      let run: GrantCheckRun | 'abandoned'
      try {
        run = await abandonable(service.checkStored(account))
      } catch (err: unknown) {
        if (!grace.aborted)
          opts.log.warn({ accountId: account.id, provider, err: describe(err) }, 'recheck failed')
        return
      }
      if (run === 'abandoned') return
      const { result } = run
      if (result.outcome === 'unreachable' && result.reason === 'rate_limited') {
        // Not a verdict: retry after the provider's wait, or leave it due for the next sweep.
        const waitMs = (result.retryAfter ?? 1) * 1000
        if (++claim.attempts < MAX_ATTEMPTS && waitMs <= maxRetryWaitMs) {
          claim.notBefore = performance.now() + waitMs
          retries.push(claim)
        }
        return
      }
      pacer.checked(provider, performance.now() - started)
      // The provider slot is free once it has answered; the database write runs on, and a lane
      // only slows down when its own writes pile up (a busy lane never stalls the others).
      const applied: Promise<void> = apply(claim, run).finally(() => {
        applying.delete(applied)
        pending.delete(applied)
      })
      applying.add(applied)
      pending.add(applied)
      if (pending.size >= limit) await Promise.race(pending)
    }

    const worker = async (index: number) => {
      for (;;) {
        await pacer.turn(provider, index, stop)
        const claim = await next()
        if (!claim) return
        await handle(claim)
      }
    }
    await Promise.all(Array.from({ length: limit }, (_, index) => worker(index)))
    // A prefetch still running when the lane stops: its claims must be held to be released.
    await refilling
  }

  let failure: unknown
  const available = opts.providers.list().filter((p) => p.available)
  const due = await countDue(opts.orm, { now: clock(), period: opts.period, sweepStarted })
  for (const p of available) pacer.add(p.id, opts.concurrency(p.id), due.get(p.id) ?? 0)
  await Promise.all(
    available.map((p) =>
      lane(p.id).catch((err: unknown) => {
        failure ??= err
        halt()
      }),
    ),
  )
  // Every lane is done: the last verdicts need not wait out the linger for company.
  applier.flush()
  while (applying.size > 0) await Promise.all(applying)
  await releaser.drain()
  dispose()

  const deferred = held.size
  try {
    await releaseClaims(
      opts.orm,
      Array.from(held, ([id, until]) => ({ id, until })),
    )
  } catch (err: unknown) {
    // The leases run out by themselves; the accounts are simply picked up a few minutes later.
    opts.log.warn({ err: describe(err) }, 'recheck: releasing claims failed')
  }
  if (failure !== undefined) throw failure
  const aborted = opts.signal?.aborted ?? false
  if (!aborted) await finishSweep(opts.orm.em.fork(), clock())
  const result: SweepCounts = {
    ...counts,
    deferred,
    durationMs: Math.round(performance.now() - started),
    aborted,
  }
  opts.log.info(result, aborted ? 'recheck sweep stopped' : 'recheck sweep finished')
  return result
}
