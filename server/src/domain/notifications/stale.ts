import type { EntityManager } from '@mikro-orm/postgresql'
import { STALE_AFTER_MS } from '../cloud-accounts/dto.js'
import { readAccounts } from '../cloud-accounts/read-model.js'
import { recordEvent } from './events.js'

/** A day's grace for a missing check: with the sweep off or failing, stale is still reported. */
const NO_CHECK_GRACE_MS = 24 * 60 * 60 * 1000

/**
 * The accounts to report as stale: connected, no success for 3 days, not yet reported, and not
 * claimed by a running sweep. Shared with due.ts, so "is there work?" asks exactly this.
 */
export function staleCondition(now: Date): { sql: string; params: unknown[] } {
  return {
    sql: `status = 'connected' and stale_notified_at is null
      and coalesce(last_healthy_at, created_at) < ?
      and (last_checked_at >= coalesce(last_healthy_at, created_at) + ?::float8 * interval '1 millisecond'
           or coalesce(last_healthy_at, created_at) < ?)
      and (claimed_until is null or claimed_until < ?)`,
    params: [
      new Date(now.getTime() - STALE_AFTER_MS),
      STALE_AFTER_MS,
      new Date(now.getTime() - STALE_AFTER_MS - NO_CHECK_GRACE_MS),
      now,
    ],
  }
}

/**
 * Finds connected accounts without a successful check for 3 days and records one `account.stale`
 * each, marking the account in the same transaction (the next success clears the mark and sends
 * `account.recovered`). An account counts once a check after the 3-day mark confirmed it, so a
 * daily sweep that is about to succeed is not preceded by a false alarm; without any check a day
 * later it counts anyway. Accounts claimed by a running sweep are left for after their check.
 */
export async function detectStale(em: EntityManager, now: Date, limit = 100): Promise<number> {
  return em.transactional(async (tx) => {
    const due = staleCondition(now)
    const rows = await tx.execute<{ id: string; workspace_id: string }[]>(
      `with due as (
         select id from cloud_accounts where ${due.sql}
          order by id limit ? for update skip locked)
       update cloud_accounts a set stale_notified_at = ? from due where a.id = due.id
       returning a.id, a.workspace_id`,
      [...due.params, limit, now],
    )
    for (const row of rows) {
      const [account] = await readAccounts(tx, row.workspace_id, { id: row.id })
      if (!account) continue
      await recordEvent(tx, {
        workspaceId: row.workspace_id,
        type: 'account.stale',
        accountId: row.id,
        data: { account },
        at: now,
      })
    }
    return rows.length
  })
}
