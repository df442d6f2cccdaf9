import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { setActivePinia } from 'pinia'
import { createTestingPinia } from '@pinia/testing'
import { useSessionStore } from './session'
import { useCloudAccountsStore } from './cloud-accounts'
import { apiError, mockApi } from '@/test/api-mock'
import { WS, makeAccount } from '@/test/fixtures'

const me = {
  user: { id: 'u1', email: 'ada@example.com', name: 'Ada' },
  workspaces: [{ id: WS, name: 'Acme', role: 'owner' }],
}
let api: ReturnType<typeof mockApi>

beforeEach(() => {
  setActivePinia(createTestingPinia({ createSpy: vi.fn, stubActions: false }))
  api = mockApi()
  localStorage.clear()
})
afterEach(() => {
  api.verify()
  vi.unstubAllGlobals()
})

describe('session store', () => {
  it('logs in, loads /me and knows the role in the open workspace', async () => {
    api
      .once('POST', '/api/v1/auth/login', {
        status: 200,
        body: { token: 't', expiresAt: '', user: me.user },
      })
      .once('GET', '/api/v1/me', { status: 200, body: me })
    const session = useSessionStore()
    await session.login({ email: 'ada@example.com', password: 'pw' })
    expect(session.signedIn).toBe(true)
    session.selectWorkspace(WS)
    expect(session.isOwner).toBe(true)
    expect(session.preferredWorkspaceId()).toBe(WS)
  })

  it('exposes a wrong login as error and rethrows it', async () => {
    api.once(
      'POST',
      '/api/v1/auth/login',
      apiError(401, 'UNAUTHENTICATED', 'Email or password is incorrect'),
    )
    const session = useSessionStore()
    await expect(session.login({ email: 'a@b.c', password: 'x' })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })
    expect(session.error?.message).toBe('Email or password is incorrect')
    expect(session.loading).toBe(false)
  })

  it('restore() answers false on 401 without keeping an error', async () => {
    api.once('GET', '/api/v1/me', apiError(401, 'UNAUTHENTICATED', 'no session'))
    const session = useSessionStore()
    expect(await session.restore()).toBe(false)
    expect(session.error).toBeNull()
    expect(session.checked).toBe(true)
  })

  it('logout resets every store', async () => {
    api
      .once('GET', '/api/v1/me', { status: 200, body: me })
      .once('GET', `/api/v1/workspaces/${WS}/cloud-accounts`, {
        status: 200,
        body: { items: [makeAccount()] },
      })
      .once('POST', '/api/v1/auth/logout', { status: 204 })
    const session = useSessionStore()
    const accounts = useCloudAccountsStore()
    await session.restore()
    await accounts.load(WS)
    await session.logout()
    expect(session.user).toBeNull()
    expect(accounts.items).toEqual([])
  })
})
