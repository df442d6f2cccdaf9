import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createTestingPinia } from '@pinia/testing'
import { createMemoryHistory, createRouter } from 'vue-router'
import MembersView from './MembersView.vue'
import { apiError, mockApi } from '@/test/api-mock'
import { INVITATION_ID, WS, makeInvitation, makeMember } from '@/test/fixtures'

const base = `/api/v1/workspaces/${WS}`
const day = 24 * 3600_000

async function mountMembers(role: 'owner' | 'member', api: ReturnType<typeof mockApi>) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'members', component: MembersView },
      { path: '/home', name: 'home', component: { render: () => null } },
    ],
  })
  await router.push('/')
  const pinia = createTestingPinia({
    createSpy: vi.fn,
    stubActions: false,
    initialState: {
      session: {
        user: { id: '44444444-4444-4444-8444-444444444444', email: 'ada@example.com', name: 'Ada' },
        workspaces: [{ id: WS, name: 'Acme', role }],
        currentWorkspaceId: WS,
      },
    },
  })
  const wrapper = mount(MembersView, {
    global: { plugins: [pinia, router] },
    attachTo: document.body,
  })
  await flushPromises()
  api.verify()
  return wrapper
}

describe('MembersView: pending invitations', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    document.body.innerHTML = ''
  })

  it('lists them with email, role, expiry and who invited', async () => {
    const api = mockApi()
      .on('GET', `${base}/members`, { status: 200, body: { items: [makeMember()] } })
      .on('GET', `${base}/invitations`, {
        status: 200,
        body: {
          items: [
            makeInvitation(),
            makeInvitation({
              id: '99999999-9999-4999-8999-000000000002',
              email: 'late@example.com',
              role: 'owner',
              expiresAt: new Date(Date.now() - 2 * day).toISOString(),
              invitedBy: null,
            }),
          ],
        },
      })
    const wrapper = await mountMembers('owner', api)
    const rows = wrapper.findAll('[data-testid="invitation-row"]')
    expect(rows).toHaveLength(2)
    expect(rows[0]!.text()).toContain('bo@example.com')
    expect(rows[0]!.text()).toContain('Member')
    expect(rows[0]!.text()).toContain('Expires in 6 days')
    expect(rows[0]!.text()).toContain('invited by Ada')
    expect(rows[1]!.text()).toContain('Expired 2 days ago')
    expect(rows[1]!.text()).toContain('invited by a removed account')
    expect(rows[1]!.find('[data-testid="invitation-expired"]').exists()).toBe(true)
    wrapper.unmount()
  })

  it('revokes after a confirmation, and says so', async () => {
    const api = mockApi()
      .on('GET', `${base}/members`, { status: 200, body: { items: [makeMember()] } })
      .on('GET', `${base}/invitations`, { status: 200, body: { items: [makeInvitation()] } })
      .once('DELETE', `${base}/invitations/${INVITATION_ID}`, { status: 204 })
    const wrapper = await mountMembers('owner', api)
    const revoke = wrapper
      .get('[data-testid="invitation-row"]')
      .findAll('button')
      .find((b) => b.text().startsWith('Revoke'))!
    await revoke.trigger('click')
    expect(document.body.textContent).toContain('Revoke the invitation for bo@example.com?')
    ;(document.querySelector('[data-testid="confirm-revoke"]') as HTMLButtonElement).click()
    await flushPromises()
    expect(api.calls.some((c) => c.method === 'DELETE')).toBe(true)
    expect(wrapper.findAll('[data-testid="invitation-row"]')).toHaveLength(0)
    expect(wrapper.get('[data-testid="invitation-flash"]').text()).toBe(
      'The invitation for bo@example.com was revoked.',
    )
    api.verify()
    wrapper.unmount()
  })

  it('a failed revoke says why, in the dialog', async () => {
    const api = mockApi()
      .on('GET', `${base}/members`, { status: 200, body: { items: [makeMember()] } })
      .on('GET', `${base}/invitations`, { status: 200, body: { items: [makeInvitation()] } })
      .once(
        'DELETE',
        `${base}/invitations/${INVITATION_ID}`,
        apiError(404, 'NOT_FOUND', 'Invitation not found'),
      )
    const wrapper = await mountMembers('owner', api)
    await wrapper
      .get('[data-testid="invitation-row"]')
      .findAll('button')
      .find((b) => b.text().startsWith('Revoke'))!
      .trigger('click')
    ;(document.querySelector('[data-testid="confirm-revoke"]') as HTMLButtonElement).click()
    await flushPromises()
    expect(
      document.querySelector('[role="dialog"] [data-testid="error-alert"]')?.textContent,
    ).toMatch(/isn't here any more/)
    wrapper.unmount()
  })

  it('a new invitation is listed with a link to copy; an old one offers a new link', async () => {
    const created = {
      id: '99999999-9999-4999-8999-000000000003',
      email: 'cy@example.com',
      role: 'member',
      token: 'tok',
      expiresAt: new Date(Date.now() + 7 * day).toISOString(),
      url: 'http://127.0.0.1:3000/invite/tok',
    }
    const api = mockApi()
      .on('GET', `${base}/members`, { status: 200, body: { items: [makeMember()] } })
      .on('GET', `${base}/invitations`, { status: 200, body: { items: [makeInvitation()] } })
      .once('POST', `${base}/invitations`, { status: 201, body: created })
    const wrapper = await mountMembers('owner', api)
    const form = wrapper.get('[data-testid="invite-form"]')
    await form.get('input[type="email"]').setValue('cy@example.com')
    await form.get('form').trigger('submit')
    await flushPromises()
    const rows = wrapper.findAll('[data-testid="invitation-row"]')
    expect(rows.map((r) => r.attributes('data-invitation-id'))).toEqual([created.id, INVITATION_ID])
    expect(rows[0]!.text()).toContain('Copy link')
    expect(rows[1]!.text()).toContain('New link')
    api.verify()
    wrapper.unmount()
  })

  it('members see no invitations (and the page asks for none)', async () => {
    const api = mockApi().on('GET', `${base}/members`, {
      status: 200,
      body: { items: [makeMember()] },
    })
    const wrapper = await mountMembers('member', api)
    expect(wrapper.find('[data-testid="pending-invitations"]').exists()).toBe(false)
    wrapper.unmount()
  })
})
