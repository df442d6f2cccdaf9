import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { setActivePinia } from 'pinia'
import { createTestingPinia } from '@pinia/testing'
import { useMembersStore } from './members'
import { apiError, mockApi } from '@/test/api-mock'
import { WS, makeMember } from '@/test/fixtures'

const base = `/api/v1/workspaces/${WS}`
let api: ReturnType<typeof mockApi>

beforeEach(() => {
  setActivePinia(createTestingPinia({ createSpy: vi.fn, stubActions: false }))
  api = mockApi()
})
afterEach(() => {
  api.verify()
  vi.unstubAllGlobals()
})

describe('members store', () => {
  it('invites and keeps the link to show', async () => {
    const invitation = {
      id: 'i1',
      email: 'bo@example.com',
      role: 'member',
      token: 'tok',
      expiresAt: new Date().toISOString(),
      url: 'http://127.0.0.1:3000/invite/tok',
    }
    api
      .once('GET', `${base}/members`, { status: 200, body: { items: [makeMember()] } })
      .once('POST', `${base}/invitations`, { status: 201, body: invitation })
    const store = useMembersStore()
    await store.load(WS)
    await store.invite({ email: 'bo@example.com', role: 'member' })
    expect(store.lastInvitation?.url).toBe(invitation.url)
  })

  it('surfaces the last-owner conflict to the caller and keeps the list', async () => {
    const owner = makeMember()
    api
      .once('GET', `${base}/members`, { status: 200, body: { items: [owner] } })
      .once('PATCH', `${base}/members/${owner.user.id}`, apiError(409, 'CONFLICT', 'last owner'))
    const store = useMembersStore()
    await store.load(WS)
    await expect(store.changeRole(owner.user.id, 'member')).rejects.toMatchObject({
      code: 'CONFLICT',
    })
    expect(store.items[0]?.role).toBe('owner')
  })
})
