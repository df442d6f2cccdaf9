import type { EntityManager } from '@mikro-orm/postgresql'

/** One request per account in this long: a burst of refused calls asks for one check, not many. */
const DEBOUNCE_MS = 10 * 60 * 1000

/**
 * A provider refused a broker call with the stored credential: the account becomes due for a check
 * (the sweep takes accounts whose request is newer than their last check) and nothing else changes:
 * only a check sets the status. True when this call made the request (not one in the last minutes).
 */
export async function requestRecheck(
  em: EntityManager,
  accountId: string,
  now = new Date(),
): Promise<boolean> {
  const rows = await em.fork().execute<{ id: string }[]>(
    `update cloud_accounts set recheck_requested_at = ?
      where id = ? and (recheck_requested_at is null or recheck_requested_at < ?)
      returning id`,
    [now, accountId, new Date(now.getTime() - DEBOUNCE_MS)],
  )
  return rows.length > 0
}
