import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { setActivePinia } from 'pinia'
import { createTestingPinia } from '@pinia/testing'
import { useBrokerCallsStore } from './broker-calls'
import { apiError, mockApi } from '@/test/api-mock'
import { WS, makeBrokerCall } from '@/test/fixtures'

const base = `/api/v1/workspaces/${WS}/broker-calls`
let api: ReturnType<typeof mockApi>

beforeEach(() => {
  setActivePinia(createTestingPinia({ createSpy: vi.fn, stubActions: false }))
  api = mockApi()
})
afterEach(() => {
  api.verify()
  vi.unstubAllGlobals()
})

const call = (n: number) =>
  makeBrokerCall({ id: `88888888-8888-4888-8888-${String(n).padStart(12, '0')}` })

describe('broker-calls store', () => {
  it('reads page after page by cursor, and stops when there is none', async () => {
    api
      .once('GET', `${base}?limit=50`, {
        status: 200,
        body: { items: [call(1), call(2)], nextCursor: 'c2' },
      })
      .once('GET', `${base}?limit=50&cursor=c2`, {
        status: 200,
        body: { items: [call(3)], nextCursor: null },
      })
    const store = useBrokerCallsStore()
    await store.load(WS)
    expect(store.nextCursor).toBe('c2')
    await store.loadMore()
    expect(store.items.map((c) => c.id.slice(-1))).toEqual(['1', '2', '3'])
    expect(store.nextCursor).toBeNull()
    await store.loadMore() // nothing more to ask for: a second request would be unexpected
  })

  it('keeps what it has when the next page fails', async () => {
    api
      .once('GET', `${base}?limit=50`, {
        status: 200,
        body: { items: [call(1)], nextCursor: 'c2' },
      })
      .once('GET', `${base}?limit=50&cursor=c2`, apiError(503, 'UNAVAILABLE', 'draining'))
    const store = useBrokerCallsStore()
    await store.load(WS)
    await store.loadMore()
    expect(store.items).toHaveLength(1)
    expect(store.error?.code).toBe('UNAVAILABLE')
    expect(store.nextCursor).toBe('c2')
  })
})
