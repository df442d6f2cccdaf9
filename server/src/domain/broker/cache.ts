import { createHash } from 'node:crypto'
import { LRUCache } from 'lru-cache'
import type { BrokerCache } from '../../providers/core/broker.js'

/**
 * What providers mint with a credential for the broker (TransIP access tokens, OVH's clock
 * offset), kept in this process's memory only, per account and per stored credential: the key
 * includes a digest of the sealed blob, so a reconnect starts afresh and a removed account's
 * entries simply age out.
 */
export function createBrokerCaches(max = 10_000) {
  const entries = new LRUCache<string, { value: unknown }>({ max })
  return {
    forCredential(account: { id: string; ciphertext: Uint8Array }): BrokerCache {
      // Only schemes that cache anything pay for the digest.
      let prefix: string | undefined
      const keyOf = (key: string) => {
        prefix ??= `${account.id}:${createHash('sha256').update(account.ciphertext).digest('base64url').slice(0, 22)}:`
        return prefix + key
      }
      return {
        get: <T>(key: string) => entries.get(keyOf(key))?.value as T | undefined,
        set: (key, value, ttlMs) => void entries.set(keyOf(key), { value }, { ttl: ttlMs }),
      }
    },
  }
}
