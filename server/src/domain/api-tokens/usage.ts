import { LRUCache } from 'lru-cache'

const DEFAULT_INTERVAL_MS = 60_000

export interface TokenUsageOptions {
  /** Writes one use (recordTokenUse on a fresh EntityManager). */
  write(tokenId: string, ip: string): Promise<void>
  onError(err: unknown): void
  intervalMs?: number
}

/**
 * `lastUsedAt`/`lastUsedIp`, kept off the request path: a busy token would otherwise turn every
 * read into a write. Each instance writes a token's use at most once per interval, without
 * waiting for it; the conditional UPDATE (recordTokenUse) keeps instances from adding up.
 */
export class TokenUsage {
  readonly #last: LRUCache<string, number>
  readonly #pending = new Set<Promise<void>>()
  readonly #opts: TokenUsageOptions
  readonly #intervalMs: number

  constructor(opts: TokenUsageOptions) {
    this.#opts = opts
    this.#intervalMs = opts.intervalMs ?? DEFAULT_INTERVAL_MS
    this.#last = new LRUCache({ max: 10_000, ttl: this.#intervalMs })
  }

  /** Notes a use; returns at once. */
  touch(tokenId: string, ip: string): void {
    if (this.#last.has(tokenId)) return
    this.#last.set(tokenId, Date.now())
    const write = this.#opts
      .write(tokenId, ip)
      .catch((err: unknown) => this.#opts.onError(err))
      .finally(() => this.#pending.delete(write))
    this.#pending.add(write)
  }

  /** Resolves when every write started so far is done (before the database pool closes). */
  async settled(): Promise<void> {
    await Promise.all([...this.#pending])
  }
}
