import fp from 'fastify-plugin'
import { LRUCache } from 'lru-cache'
import type { SessionCheck } from '../../domain/sessions/session-check.js'
import type { ActiveToken } from '../../domain/api-tokens/lookup.js'

export type { SessionCheck } from '../../domain/sessions/session-check.js'

/** Even with the feed up, nothing cached is trusted longer than this (by default). */
const MAX_AGE_MS = 30_000

/** What a reader saw before it went to the database; a store is refused if anything moved since. */
export interface Ticket {
  readonly generation: number
}

export interface ReadCache {
  /** A session check a read request may reuse; undefined unless the change feed is live. */
  lookup(jti: string, workspaceId: string | null): SessionCheck | undefined
  store(ticket: Ticket, jti: string, workspaceId: string | null, check: SessionCheck): void
  /** An API token lookup (by the token's hash) a read request may reuse, with its workspace's revision. */
  lookupToken(tokenHash: string): ActiveToken | undefined
  storeToken(ticket: Ticket, tokenHash: string, found: ActiveToken): void
  ticket(): Ticket
  /** Drops everything: after this instance wrote something, its next read must go to the database. */
  forgetAll(): void
  /** Lookups answered and not answered since start: for tests and diagnostics. */
  stats(): { hits: number; misses: number }
}

export interface ReadCacheOptions {
  maxAgeMs?: number
}

declare module 'fastify' {
  interface FastifyInstance {
    readCache: ReadCache
  }
}

const READ_METHODS = new Set(['GET', 'HEAD'])

/**
 * Lets read requests skip the per-request session query. A cached session check or workspace
 * revision is used only while the change feed is live, and is dropped when the database announces
 * a change that could affect it (an ended session, a membership, a user or their second factor,
 * a workspace's accounts or MFA rule, a revoked API token), when
 * this instance handles any write, and when the feed drops. Writes always check the session
 * against the database, so a revoked session or a demoted owner can never change anything; a read
 * on another instance may lag by the feed's delivery time (milliseconds).
 */
export default fp<ReadCacheOptions>(
  async (app, opts) => {
    const feed = app.changeFeed
    const maxAgeMs = opts.maxAgeMs ?? MAX_AGE_MS
    const sessions = new LRUCache<string, Omit<SessionCheck, 'revision'> & { at: number }>({
      max: 10_000,
    })
    const revisions = new LRUCache<string, { revision: number; at: number }>({ max: 10_000 })
    const tokens = new LRUCache<string, { found: ActiveToken; at: number }>({ max: 10_000 })
    // Bumped whenever anything is dropped, so a read that started before cannot store old news.
    let generation = 0
    let hits = 0
    let misses = 0

    const forgetSessions = () => {
      generation++
      sessions.clear()
    }
    const forgetAll = () => {
      forgetSessions()
      tokens.clear()
      revisions.clear()
    }
    // A revoked token is announced by id; the cache is keyed by hash, and revocations are rare.
    const forgetToken = (id: string) => {
      generation++
      for (const [hash, entry] of tokens.entries())
        if (entry.found.token.id === id) tokens.delete(hash)
    }
    const fresh = (entry: { at: number } | undefined) =>
      entry !== undefined && Date.now() - entry.at < maxAgeMs
    const key = (jti: string, workspaceId: string | null) => `${jti}|${workspaceId ?? ''}`
    const remember = (workspaceId: string, revision: number, at: number) => {
      const known = revisions.peek(workspaceId)
      // Revisions only grow: an older answer must not undo a newer one (an equal one renews it).
      if (!known || known.revision <= revision) revisions.set(workspaceId, { revision, at })
    }

    feed.onReset(forgetAll)
    feed.onChange((payload) => {
      // `n:` announces new notification events: nothing cached here depends on them.
      if (payload.startsWith('n:')) return
      if (payload.startsWith('t:')) return forgetToken(payload.slice(2))
      if (!payload.startsWith('w:')) return forgetSessions()
      // The next read of this workspace asks the database for its revision.
      generation++
      revisions.delete(payload.slice(2))
    })

    const cache: ReadCache = {
      lookup(jti, workspaceId) {
        const session = feed.live ? sessions.get(key(jti, workspaceId)) : undefined
        const known = workspaceId ? revisions.get(workspaceId) : { revision: 0, at: Date.now() }
        if (!session || !fresh(session) || !known || !fresh(known)) {
          misses++
          return undefined
        }
        hits++
        const { at: _at, ...check } = session
        return { ...check, revision: known.revision }
      },
      store(ticket, jti, workspaceId, check) {
        if (!feed.live || ticket.generation !== generation) return
        const at = Date.now()
        const { revision: _revision, ...rest } = check
        sessions.set(key(jti, workspaceId), { ...rest, at })
        if (workspaceId) remember(workspaceId, check.revision, at)
      },
      lookupToken(tokenHash) {
        const entry = feed.live ? tokens.get(tokenHash) : undefined
        const known = entry ? revisions.get(entry.found.token.workspaceId) : undefined
        // An expired token is refused at its expiry, whatever the cache holds.
        if (
          !entry ||
          !fresh(entry) ||
          !known ||
          !fresh(known) ||
          entry.found.expiresAt <= Date.now()
        ) {
          misses++
          return undefined
        }
        hits++
        return { ...entry.found, revision: known.revision }
      },
      storeToken(ticket, tokenHash, found) {
        if (!feed.live || ticket.generation !== generation) return
        const at = Date.now()
        tokens.set(tokenHash, { found, at })
        remember(found.token.workspaceId, found.revision, at)
      },
      ticket: () => ({ generation }),
      forgetAll,
      stats: () => ({ hits, misses }),
    }
    app.decorate('readCache', cache)

    // Runs before the answer leaves, so the caller's next request already reads anew.
    app.addHook('onSend', (request, _reply, payload, done) => {
      if (!READ_METHODS.has(request.method)) forgetAll()
      done(null, payload)
    })
  },
  { name: 'read-cache', dependencies: ['change-feed'] },
)
