import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { setActivePinia } from 'pinia'
import { createTestingPinia } from '@pinia/testing'
import { useCloudAccountsStore } from './cloud-accounts'
import { apiError, mockApi } from '@/test/api-mock'
import { ACCOUNT_ID, WS, makeAccount, makeServer } from '@/test/fixtures'

const base = `/api/v1/workspaces/${WS}/cloud-accounts`
let api: ReturnType<typeof mockApi>

beforeEach(() => {
  setActivePinia(createTestingPinia({ createSpy: vi.fn, stubActions: false }))
  api = mockApi()
})
afterEach(() => {
  api.verify()
  vi.unstubAllGlobals()
})

describe('cloud accounts store', () => {
  it('loads the list, with loading and error refs', async () => {
    api.once('GET', base, { status: 200, body: { items: [makeAccount()] } })
    const store = useCloudAccountsStore()
    const pending = store.load(WS)
    expect(store.loading).toBe(true)
    await pending
    expect(store.loading).toBe(false)
    expect(store.items).toHaveLength(1)
    expect(store.isEmpty).toBe(false)
  })

  it('joins a read in flight only when asked to; other reads ask anew', async () => {
    api
      .once('GET', base, { status: 200, body: { items: [makeAccount()] } })
      .once('GET', base, { status: 200, body: { items: [] } })
    const store = useCloudAccountsStore()
    const first = store.load(WS)
    const joined = store.load(WS, { reuse: true })
    await Promise.all([first, joined])
    expect(store.items).toHaveLength(1)
    await store.load(WS, { reuse: true })
    expect(store.items).toHaveLength(0)
  })

  it('keeps a load error in error, not thrown', async () => {
    api.once('GET', base, apiError(404, 'NOT_FOUND', 'Route not found'))
    const store = useCloudAccountsStore()
    await store.load(WS)
    expect(store.error?.code).toBe('NOT_FOUND')
    expect(store.loaded).toBe(false)
  })

  it('throws a connect rejection to the caller and stores nothing', async () => {
    api.once('GET', base, { status: 200, body: { items: [] } }).once(
      'POST',
      base,
      apiError(422, 'PROVIDER_REJECTED', 'rejected', {
        reason: 'Invalid token',
        providerStatus: 401,
      }),
    )
    const store = useCloudAccountsStore()
    await store.load(WS)
    await expect(
      store.connect({ provider: 'hetzner-cloud', label: 'prod', credentials: { token: 'x' } }),
    ).rejects.toMatchObject({ code: 'PROVIDER_REJECTED' })
    expect(store.items).toEqual([])
  })

  it('recheck marks the row pending, then replaces the account', async () => {
    const rechecked = makeAccount({ status: 'needs_attention', statusReason: 'Token revoked' })
    api
      .once('GET', base, { status: 200, body: { items: [makeAccount()] } })
      .once('POST', `${base}/${ACCOUNT_ID}/recheck`, { status: 200, body: rechecked })
    const store = useCloudAccountsStore()
    await store.load(WS)
    const pending = store.recheck(ACCOUNT_ID)
    expect(store.pending[ACCOUNT_ID]).toBe('recheck')
    await pending
    expect(store.pending[ACCOUNT_ID]).toBeUndefined()
    expect(store.items[0]?.status).toBe('needs_attention')
  })

  it('records a row error when recheck cannot reach the provider', async () => {
    api
      .once('GET', base, { status: 200, body: { items: [makeAccount()] } })
      .once(
        'POST',
        `${base}/${ACCOUNT_ID}/recheck`,
        apiError(502, 'PROVIDER_UNREACHABLE', 'timeout', { reason: 'timeout' }),
      )
    const store = useCloudAccountsStore()
    await store.load(WS)
    expect(await store.recheck(ACCOUNT_ID)).toBeNull()
    expect(store.rowErrors[ACCOUNT_ID]?.code).toBe('PROVIDER_UNREACHABLE')
  })

  it('loads servers once and removes an account', async () => {
    api
      .once('GET', base, { status: 200, body: { items: [makeAccount()] } })
      .once('GET', `${base}/${ACCOUNT_ID}/servers`, {
        status: 200,
        body: { items: [makeServer()] },
      })
      .once('DELETE', `${base}/${ACCOUNT_ID}`, { status: 204 })
    const store = useCloudAccountsStore()
    await store.load(WS)
    await store.loadServers(ACCOUNT_ID)
    await store.loadServers(ACCOUNT_ID)
    expect(store.servers[ACCOUNT_ID]?.items.map((s) => s.name)).toEqual(['web-1'])
    await store.remove(ACCOUNT_ID)
    expect(store.items).toEqual([])
  })

  it('reconnect sends allowAccountChange only when asked', async () => {
    api
      .once('GET', base, { status: 200, body: { items: [makeAccount()] } })
      .once('PUT', `${base}/${ACCOUNT_ID}/credentials`, {
        status: 200,
        body: makeAccount({ hint: 'new' }),
      })
    const store = useCloudAccountsStore()
    await store.load(WS)
    await store.reconnect(ACCOUNT_ID, { credentials: { token: 't' }, allowAccountChange: true })
    expect(api.calls.at(-1)?.body).toEqual({
      credentials: { token: 't' },
      allowAccountChange: true,
    })
    expect(store.items[0]?.hint).toBe('new')
  })

  it('reset() forgets everything', async () => {
    api.once('GET', base, { status: 200, body: { items: [makeAccount()] } })
    const store = useCloudAccountsStore()
    await store.load(WS)
    store.reset()
    expect(store.items).toEqual([])
    expect(store.workspaceId).toBeNull()
    expect(store.loaded).toBe(false)
  })

  it('the API mock names an unexpected call', async () => {
    const store = useCloudAccountsStore()
    await store.load(WS)
    expect(store.error?.message).toBe(`Unexpected API call: GET ${base}`)
    expect(() => api.verify()).toThrow(`Unexpected API call: GET ${base}`)
    api = mockApi() // this test expected the stray call; give afterEach a clean mock
  })
})
