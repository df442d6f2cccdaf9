import t from 'tap'
import type { CloudAccount } from '@cloudlink/shared'
import { STALE_AFTER_MS } from '../../src/domain/cloud-accounts/dto.js'
import { AccountListCache, nextStaleAt } from '../../src/domain/cloud-accounts/list-cache.js'

const DAY = 24 * 60 * 60 * 1000
const now = Date.parse('2026-11-27T12:00:00Z')
const iso = (ms: number) => new Date(ms).toISOString()

const account = (over: Partial<CloudAccount>): CloudAccount =>
  ({
    status: 'connected',
    stale: false,
    lastHealthyAt: null,
    createdAt: iso(now - DAY),
    ...over,
  }) as CloudAccount

t.test('the list expires when its first fresh account turns stale', async (t) => {
  t.equal(nextStaleAt([]), Infinity, 'nothing to turn stale')
  const items = [
    account({ lastHealthyAt: iso(now - 2 * DAY) }),
    account({ lastHealthyAt: null, createdAt: iso(now - 2.5 * DAY) }),
    account({ status: 'needs_attention', lastHealthyAt: iso(now - 2.9 * DAY) }),
    account({ stale: true, lastHealthyAt: iso(now - 5 * DAY) }),
  ]
  t.equal(
    nextStaleAt(items),
    now - 2.5 * DAY + STALE_AFTER_MS,
    'the oldest healthy-or-created time among connected, fresh accounts decides',
  )
})

t.test('entries answer only for their revision and until they expire', async (t) => {
  const cache = new AccountListCache()
  const body = Buffer.from('{"items":[]}')
  cache.set('ws', { revision: 3, expiresAt: now + 1000, items: [], body })
  t.ok(cache.get('ws', 3, now), 'same revision')
  t.notOk(cache.get('ws', 4, now), 'a newer revision misses')
  t.notOk(cache.get('ws', 3, now + 1000), 'expired')
  t.notOk(cache.get('other', 3, now), 'another workspace')

  cache.set('ws', { revision: 2, expiresAt: now + 1000, items: [], body })
  t.ok(cache.get('ws', 3, now), 'an older list never replaces a newer one')
  cache.set('ws', { revision: 5, expiresAt: now + 1000, items: [], body })
  t.ok(cache.get('ws', 5, now), 'a newer one does')
})

t.test('the cache holds a bounded number of bytes', async (t) => {
  const cache = new AccountListCache(10_000)
  const body = Buffer.alloc(1_000)
  for (let i = 0; i < 20; i++)
    cache.set(`ws${i}`, { revision: 1, expiresAt: Infinity, items: [], body })
  t.notOk(cache.get('ws0', 1, now), 'the least recently used went first')
  t.ok(cache.get('ws19', 1, now), 'the newest stayed')
})
