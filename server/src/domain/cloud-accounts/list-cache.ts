import { LRUCache } from 'lru-cache'
import type { CloudAccount } from '@cloudlink/shared'
import { staleAt } from './dto.js'

export interface CachedList {
  /** The workspace revision read before the list was: the entry is good while it is unchanged. */
  revision: number
  /** `stale` is computed against the clock, so the entry ends when the next account turns stale. */
  expiresAt: number
  items: CloudAccount[]
  /** The whole unfiltered response, serialized by the route's schema and UTF-8 encoded. */
  body: Buffer
}

/** When the first account that is fresh now turns stale; Infinity when none will. */
export function nextStaleAt(items: readonly CloudAccount[]): number {
  let next = Infinity
  for (const item of items) {
    if (item.status !== 'connected' || item.stale) continue
    const at = staleAt(item.lastHealthyAt, item.createdAt)
    if (at < next) next = at
  }
  return next
}

/**
 * The settings page polls the account list, and most polls find nothing changed. Each instance
 * keeps the last list it read per workspace, keyed by the workspace revision that the database
 * bumps on every visible change (see Migration20261127160000). The revision is read fresh on every
 * request with the session check, so a cached list is never older than the database: a write by
 * another instance, the recheck worker or psql moves the revision and the next request reads anew.
 *
 * A list read after revision R was read may already hold a later change; storing it under R is
 * still safe, because that later change moved the revision past R and nobody will ask for R again.
 */
export class AccountListCache {
  readonly #entries: LRUCache<string, CachedList>

  constructor(maxBytes = 32 * 1024 * 1024) {
    this.#entries = new LRUCache({
      maxSize: maxBytes,
      // The serialized body dominates; the parsed items cost about as much again.
      sizeCalculation: (entry) => Math.max(1, entry.body.byteLength * 2),
    })
  }

  get(workspaceId: string, revision: number, now = Date.now()): CachedList | undefined {
    const entry = this.#entries.get(workspaceId)
    if (!entry || entry.revision !== revision || now >= entry.expiresAt) return undefined
    return entry
  }

  set(workspaceId: string, entry: CachedList): void {
    const current = this.#entries.peek(workspaceId)
    // Two requests may miss together; never replace a newer list with an older one.
    if (current && current.revision > entry.revision) return
    this.#entries.set(workspaceId, entry)
  }
}
