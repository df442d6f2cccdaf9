import type { EntityManager, MikroORM } from '@mikro-orm/postgresql'
import type { ProviderId } from '@cloudlink/shared'
import { CloudAccountEntity, type CloudAccount } from '../../db/entities/index.js'
import { BROKER_CALLS_MS } from '../broker/calls.js'
import { pruneBudgets } from '../budget/ledger.js'

/** What releasing a claim needs: the account and the lease value written with it. */
export interface Lease {
  id: string
  until: Date
}

/** One claimed account and what the sweep needs to know about the claim. */
export interface Claim {
  account: CloudAccount
  /** The lease written with the claim: releasing compares it, so a claim that expired and was taken
   * over by another instance is never released by us. */
  until: Date
  /** performance.now() at claim time: the sweep starts no check on an old claim. */
  claimedAt: number
  attempts: number
  notBefore: number
}

/** Check history is kept for 90 days (and at most 100 checks per account, see accounts-service). */
export const HISTORY_MS = 90 * 24 * 60 * 60 * 1000

/**
 * Due: not checked for `period`, or refused on a broker call since the last check, and not checked
 * since this sweep started. Parameters: dueParams().
 */
const DUE = `(last_checked_at is null or last_checked_at < ?
               or last_checked_at < recheck_requested_at)
           and (last_checked_at is null or last_checked_at < ?)`

const dueParams = (opts: { now: Date; period: number; sweepStarted?: Date }) => [
  new Date(opts.now.getTime() - opts.period),
  opts.sweepStarted ?? opts.now,
]

/**
 * Claims up to `limit` due accounts of one provider in a single statement. SKIP LOCKED lets
 * concurrent sweeps (other instances) pass each other's rows instead of waiting, and the lease in
 * claimed_until keeps them off once the statement has committed. Due: not checked for `period`,
 * or refused by the provider on a broker call since the last check (recheck_requested_at).
 * Healthy accounts go first: a rejected credential is retried last (Hetzner Robot blocks the IP
 * after 3 failed logins).
 */
export async function claimDue(
  orm: MikroORM,
  opts: {
    provider: string
    limit: number
    now: Date
    period: number
    leaseMs: number
    /** When this sweep started (the service's clock, which stamps checks): an account checked since
     * is never claimed again by the same sweep, even if `now` runs ahead. The database remembers
     * what was checked, so the sweep keeps nothing per account. */
    sweepStarted?: Date
  },
): Promise<Claim[]> {
  const em = orm.em.fork()
  const until = new Date(opts.now.getTime() + opts.leaseMs)
  const rows = await em.execute<Record<string, unknown>[]>(
    `update cloud_accounts set claimed_until = ?
      where id in (
        select id from cloud_accounts
         where provider = ? and ${DUE}
           and (claimed_until is null or claimed_until < ?)
         order by status <> 'connected', last_checked_at asc nulls first
         limit ?
         for update skip locked)
      returning *`,
    [until, opts.provider, ...dueParams(opts), opts.now, opts.limit],
  )
  const claimedAt = performance.now()
  return rows.map((row) => ({
    account: em.map(CloudAccountEntity, row),
    until,
    claimedAt,
    attempts: 0,
    notBefore: 0,
  }))
}

/**
 * Due accounts per provider, counted once at the start of a sweep (the lane pacer's estimate).
 * Without an answer nothing is paced: every lane runs at its concurrency.
 */
export async function countDue(
  orm: MikroORM,
  opts: { now: Date; period: number; sweepStarted: Date },
): Promise<Map<ProviderId, number>> {
  const rows = await orm.em
    .fork()
    .execute<{ provider: ProviderId; due: number }[]>(
      `select provider, count(*)::int as due from cloud_accounts where ${DUE} group by provider`,
      dueParams(opts),
    )
    .catch(() => [])
  return new Map(rows.map((r) => [r.provider, r.due]))
}

/** Gives claims back (the accounts stay due, or were just checked); ours only, by lease value. */
export async function releaseClaims(orm: MikroORM, claims: Lease[]): Promise<void> {
  const byLease = new Map<number, string[]>()
  for (const c of claims) {
    const ids = byLease.get(c.until.getTime()) ?? []
    ids.push(c.id)
    byLease.set(c.until.getTime(), ids)
  }
  const em = orm.em.fork()
  for (const [until, ids] of byLease)
    await em.execute(
      `update cloud_accounts set claimed_until = null
        where id = any(string_to_array(?, ',')::uuid[]) and claimed_until = ?`,
      [ids.join(','), new Date(until)],
    )
}

/**
 * Claims whose verdict was dropped (the credential was replaced meanwhile) are given back in
 * batches: one statement per `batch` accounts. An applied verdict gives its claim back itself.
 */
export function createReleaser(orm: MikroORM, onError: (err: unknown) => void, batch = 50) {
  let pending: Lease[] = []
  const inFlight = new Set<Promise<void>>()
  const flush = () => {
    if (pending.length === 0) return
    const claims = pending
    pending = []
    const done: Promise<void> = releaseClaims(orm, claims)
      .catch(onError)
      .finally(() => inFlight.delete(done))
    inFlight.add(done)
  }
  return {
    add(claim: Claim) {
      // Only the id and lease: the account (and its sealed credential) can be collected at once.
      pending.push({ id: claim.account.id, until: claim.until })
      if (pending.length >= batch) flush()
    },
    /** Releases what is pending and waits for every release started so far. */
    async drain() {
      flush()
      await Promise.all(inFlight)
    },
  }
}

/**
 * What owners see as "last sweep" (GET /api/v1/providers), and the history bounds: checks 90 days,
 * broker calls 30 days, spent request budgets once no window can reach them.
 */
export async function finishSweep(em: EntityManager, at: Date): Promise<void> {
  await em.transactional(async (tx) => {
    // tx.execute, not getConnection().execute: only the former runs inside the transaction.
    await tx.execute(
      `insert into app_state (key, value, updated_at) values ('lastSweepAt', to_jsonb(?::text), ?)
         on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at`,
      [at.toISOString(), at],
    )
    await tx.execute(`delete from checks where at < ?`, [new Date(at.getTime() - HISTORY_MS)])
    await tx.execute(`delete from broker_calls where at < ?`, [
      new Date(at.getTime() - BROKER_CALLS_MS),
    ])
    // Budget windows are hours at most; a key nobody spent from for two days holds nothing live.
    await pruneBudgets(tx, new Date(at.getTime() - 2 * 24 * 60 * 60 * 1000))
  })
}
