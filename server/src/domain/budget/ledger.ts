import type { EntityManager } from '@mikro-orm/postgresql'
import type { ProviderId } from '@cloudlink/shared'
import { UnreachableError, unreachable } from '../../providers/core/http.js'
import type { ProviderContext, RequestBudget } from '../../providers/core/types.js'

/**
 * A provider's request budget per credential, kept in the database so that every instance's checks
 * (manual, sweep) and broker calls spend from the same one: Hetzner Robot allows a web-service user
 * 200 requests an hour, whoever sends them.
 *
 * Spending is counted in buckets of 1/BUCKETS of the budget's window. A request is allowed while
 * the buckets overlapping the last window hold fewer than the budget, which is never more than the
 * budget in any window (at worst one bucket's worth stricter). Each spend takes a transaction-scoped
 * advisory lock on its key, so two instances never both take the last request.
 */

const BUCKETS = 20

/** `<provider>:<fingerprint>`: one budget per credential (the fingerprint is an HMAC, no secret). */
export const budgetKey = (account: { provider: ProviderId; fingerprint: string }) =>
  `${account.provider}:${account.fingerprint}`

/** null: spent; otherwise the seconds until one request fits again. */
export async function spendBudget(
  em: EntityManager,
  key: string,
  budget: RequestBudget,
  now = Date.now(),
): Promise<number | null> {
  const bucketMs = Math.max(1, Math.floor(budget.perMs / BUCKETS))
  const bucket = new Date(now - (now % bucketMs))
  // Buckets that started after this may hold a request inside the last window.
  const overlapping = new Date(now - budget.perMs - bucketMs)
  return em.fork().transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [key])
    // A fresh statement after the lock: it sees every spend committed before the lock was granted.
    const rows = await tx.execute<{ n: number; oldest: Date | string | null }[]>(
      `with spent as (
         select coalesce(sum(requests), 0)::int as n, min(window_start) as oldest
           from provider_budget_spend where budget_key = ? and window_start > ?),
       gone as (
         delete from provider_budget_spend where budget_key = ? and window_start <= ?),
       taken as (
         insert into provider_budget_spend (budget_key, window_start, requests)
         select ?, ?, 1 from spent where n < ?
         on conflict (budget_key, window_start)
           do update set requests = provider_budget_spend.requests + 1)
       select n, oldest from spent`,
      [key, overlapping, key, overlapping, key, bucket, budget.requests],
    )
    const row = rows[0]
    if (!row || row.n < budget.requests) return null
    // The oldest bucket stops counting once the window no longer overlaps it.
    const oldest = row.oldest ? new Date(row.oldest).getTime() : now
    return Math.max(1, Math.ceil((oldest + bucketMs + budget.perMs - now) / 1000))
  })
}

export const budgetExhausted = (providerName: string, retryAfter: number) =>
  new UnreachableError(
    unreachable(
      'rate_limited',
      `${providerName}'s request budget for this credential is spent (checks and broker calls share it); try again in ${retryAfter} s`,
      retryAfter,
    ),
  )

/**
 * The provider context of one credential with a budget: every request spends from the ledger first
 * and is not sent when the budget is spent (UnreachableError `rate_limited` with the wait).
 */
export function budgetedContext(
  ctx: ProviderContext,
  opts: { em: EntityManager; key: string; budget: RequestBudget; providerName: string },
): ProviderContext {
  return {
    ...ctx,
    http: {
      url: ctx.http.url,
      async request(origin, path, req) {
        const wait = await spendBudget(opts.em, opts.key, opts.budget)
        if (wait !== null) throw budgetExhausted(opts.providerName, wait)
        return ctx.http.request(origin, path, req)
      },
    },
  }
}

/** Buckets past any window: the spends only prune their own key, this catches idle keys. */
export async function pruneBudgets(em: EntityManager, olderThan: Date): Promise<void> {
  await em.execute(`delete from provider_budget_spend where window_start < ?`, [olderThan])
}
