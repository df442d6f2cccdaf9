import type { EntityManager } from '@mikro-orm/postgresql'
import type { SessionInfo } from '@cloudlink/shared'

/** How long a sign-in lasts (the session token's `exp`). */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000
/** Ended and expired rows are kept this long for the person's own list, then purged. */
const KEEP_DAYS = 30

export interface NewSession {
  id: string
  expiresAt: Date
}

/**
 * Records a sign-in. Its id is the session token's jti; the sign-in itself counts as a fresh
 * confirmation for sudo mode. The person's long-gone rows are purged on the way.
 */
export async function createSession(
  em: EntityManager,
  input: { id: string; userId: string; ip: string | null; userAgent: string | null },
): Promise<NewSession> {
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS)
  await em.execute(
    `delete from sessions where user_id = ? and expires_at < now() - interval '${KEEP_DAYS} days'`,
    [input.userId],
  )
  await em.execute(
    `insert into sessions (id, user_id, created_at, expires_at, last_seen_at, ip, user_agent, reauth_at)
     values (?, ?, now(), ?, now(), ?, ?, now())`,
    [
      input.id,
      input.userId,
      expiresAt,
      input.ip?.slice(0, 64) ?? null,
      input.userAgent?.slice(0, 512) ?? null,
    ],
  )
  return { id: input.id, expiresAt }
}

interface Row {
  id: string
  created_at: Date | string
  last_seen_at: Date | string
  ip: string | null
  user_agent: string | null
}

const iso = (value: Date | string) => new Date(value).toISOString()

/** The person's sessions that still work, newest first. */
export async function listSessions(
  em: EntityManager,
  userId: string,
  currentId: string | null,
): Promise<SessionInfo[]> {
  const rows = await em.execute<Row[]>(
    `select id, created_at, last_seen_at, ip, user_agent from sessions
     where user_id = ? and ended_at is null and expires_at > now()
     order by last_seen_at desc, created_at desc`,
    [userId],
  )
  return rows.map((r) => ({
    id: r.id,
    createdAt: iso(r.created_at),
    lastSeenAt: iso(r.last_seen_at),
    ip: r.ip,
    userAgent: r.user_agent,
    current: r.id === currentId,
  }))
}

/** Ends one of the person's sessions; false when it is not theirs or already over. */
export async function endSession(
  em: EntityManager,
  userId: string,
  sessionId: string,
): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>(
    `update sessions set ended_at = now()
     where id = ? and user_id = ? and ended_at is null and expires_at > now() returning id`,
    [sessionId, userId],
  )
  return rows.length > 0
}

/**
 * Ends every working session of the person, but `except` (the one changing the password). Each
 * end is announced (NOTIFY `s:<id>`), so every instance refuses them at once.
 */
export async function endSessionsOf(
  em: EntityManager,
  userId: string,
  opts: { except?: string } = {},
): Promise<number> {
  const rows = await em.execute<{ id: string }[]>(
    `update sessions set ended_at = now()
     where user_id = ? and ended_at is null and id <> ? returning id`,
    [userId, opts.except ?? '00000000-0000-0000-0000-000000000000'],
  )
  return rows.length
}

/** A password or code was confirmed just now in this session: sudo mode for ten minutes. */
export async function recordReauth(em: EntityManager, sessionId: string): Promise<void> {
  await em.execute(`update sessions set reauth_at = now() where id = ?`, [sessionId])
}

/**
 * `lastSeenAt` and the address, at most once a minute across every instance: the condition makes
 * the other writes within the minute no-ops (see TokenUsage for the per-instance throttle).
 */
export async function recordSessionSeen(em: EntityManager, sessionId: string, ip: string) {
  await em.execute(
    `update sessions set last_seen_at = now(), ip = ?
     where id = ? and ended_at is null and last_seen_at < now() - interval '1 minute'`,
    [ip.slice(0, 64), sessionId],
  )
}
