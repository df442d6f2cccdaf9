import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { setActivePinia } from 'pinia'
import { createTestingPinia } from '@pinia/testing'
import { useApiTokensStore } from './api-tokens'
import { apiError, mockApi } from '@/test/api-mock'
import { SECRET, TOKEN_ID, WS, makeApiToken, makeCreatedToken } from '@/test/fixtures'

const base = `/api/v1/workspaces/${WS}/api-tokens`
let api: ReturnType<typeof mockApi>

beforeEach(() => {
  setActivePinia(createTestingPinia({ createSpy: vi.fn, stubActions: false }))
  api = mockApi()
})
afterEach(() => {
  api.verify()
  vi.unstubAllGlobals()
})

describe('api-tokens store', () => {
  it('keeps the secret only in `created`, and lists the new token without it', async () => {
    const older = makeApiToken({ id: '99999999-9999-4999-8999-999999999999', name: 'CI' })
    api
      .once('GET', base, { status: 200, body: { items: [older] } })
      .once('POST', base, { status: 201, body: makeCreatedToken() })
    const store = useApiTokensStore()
    await store.load(WS)
    await store.create({ name: 'Platform backend', scopes: ['accounts:use'], expiresInDays: 90 })

    expect(api.calls[1]?.body).toEqual({
      name: 'Platform backend',
      scopes: ['accounts:use'],
      expiresInDays: 90,
    })
    expect(store.created?.token).toBe(SECRET)
    expect(store.items.map((i) => i.name)).toEqual(['Platform backend', 'CI'])
    expect(JSON.stringify(store.items)).not.toContain(SECRET)

    store.forgetCreated()
    expect(store.created).toBeNull()
    expect(store.items).toHaveLength(2)
  })

  it('hands a refusal to the caller and keeps nothing', async () => {
    api
      .once('GET', base, { status: 200, body: { items: [] } })
      .once(
        'POST',
        base,
        apiError(400, 'VALIDATION_FAILED', 'expiresInDays: must be <= 365', [
          { field: 'expiresInDays', message: 'must be <= 365' },
        ]),
      )
    const store = useApiTokensStore()
    await store.load(WS)
    await expect(
      store.create({ name: 'x', scopes: ['accounts:read'], expiresInDays: 400 }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
    expect(store.created).toBeNull()
    expect(store.items).toEqual([])
  })

  it('revokes: the token leaves the list, and the shown secret with it', async () => {
    api
      .once('GET', base, { status: 200, body: { items: [] } })
      .once('POST', base, { status: 201, body: makeCreatedToken() })
      .once('DELETE', `${base}/${TOKEN_ID}`, { status: 204 })
    const store = useApiTokensStore()
    await store.load(WS)
    await store.create({ name: 'Platform backend', scopes: ['accounts:use'] })
    await store.revoke(TOKEN_ID)
    expect(store.items).toEqual([])
    expect(store.created).toBeNull()
  })

  it('forgets everything, the secret included, when another workspace is opened', async () => {
    const other = '12121212-1212-4212-8212-121212121212'
    api
      .once('GET', base, { status: 200, body: { items: [] } })
      .once('POST', base, { status: 201, body: makeCreatedToken() })
      .once('GET', `/api/v1/workspaces/${other}/api-tokens`, { status: 200, body: { items: [] } })
    const store = useApiTokensStore()
    await store.load(WS)
    await store.create({ name: 'Platform backend', scopes: ['accounts:use'] })
    await store.load(other)
    expect(store.created).toBeNull()
    expect(store.items).toEqual([])
  })
})
