import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { EntityManager } from '@mikro-orm/postgresql'

const TTL_MS = 5 * 60 * 1000
/** Wrong codes one sign-in may try; the fifth ends it. */
export const MAX_CODE_FAILURES = 5

const hash = (token: string) => createHash('sha256').update(token).digest('hex')

/**
 * The second step of a sign-in whose password was right: a 256-bit token, kept as a SHA-256,
 * single use, five minutes. Expired ones are swept on the way.
 */
export async function createChallenge(em: EntityManager, userId: string): Promise<string> {
  const token = randomBytes(32).toString('base64url')
  await em.execute(`delete from mfa_challenges where expires_at < now()`)
  await em.execute(
    `insert into mfa_challenges (id, token_hash, user_id, failures, expires_at, created_at)
     values (?, ?, ?, 0, ?, now())`,
    [randomUUID(), hash(token), userId, new Date(Date.now() + TTL_MS)],
  )
  return token
}

export interface Challenge {
  id: string
  userId: string
}

/** The live challenge for a token, locked for this transaction; null for unknown, used or expired. */
export async function lockChallenge(tx: EntityManager, token: string): Promise<Challenge | null> {
  const rows = await tx.execute<{ id: string; user_id: string }[]>(
    `select id, user_id from mfa_challenges
     where token_hash = ? and expires_at > now() and failures < ? for update`,
    [hash(token), MAX_CODE_FAILURES],
  )
  const row = rows[0]
  return row ? { id: row.id, userId: row.user_id } : null
}

/** Counts a wrong code; the last allowed one deletes the challenge. Returns the tries left. */
export async function failChallenge(tx: EntityManager, id: string): Promise<number> {
  const rows = await tx.execute<{ failures: number }[]>(
    `update mfa_challenges set failures = failures + 1 where id = ? returning failures`,
    [id],
  )
  const left = MAX_CODE_FAILURES - Number(rows[0]?.failures ?? MAX_CODE_FAILURES)
  if (left <= 0) await tx.execute(`delete from mfa_challenges where id = ?`, [id])
  return Math.max(left, 0)
}

/** Used up: a second request with the same token finds nothing. */
export async function spendChallenge(tx: EntityManager, id: string): Promise<void> {
  await tx.execute(`delete from mfa_challenges where id = ?`, [id])
}
