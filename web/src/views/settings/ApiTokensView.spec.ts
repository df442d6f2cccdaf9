import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createTestingPinia } from '@pinia/testing'
import { createMemoryHistory, createRouter } from 'vue-router'
import ApiTokensView from './ApiTokensView.vue'
import { apiError, mockApi } from '@/test/api-mock'
import {
  SECRET,
  TOKEN_ID,
  WS,
  makeAccount,
  makeApiToken,
  makeCreatedToken,
  makeProvider,
} from '@/test/fixtures'

const base = `/api/v1/workspaces/${WS}`
let api: ReturnType<typeof mockApi>

beforeEach(() => {
  api = mockApi().on('GET', `${base}/cloud-accounts`, {
    status: 200,
    body: { items: [makeAccount()] },
  })
})
afterEach(() => {
  api.verify()
  vi.unstubAllGlobals()
})

/** The page with the real stores and API modules; only fetch is stood in for (mockApi). */
async function mountView() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'api-tokens', component: ApiTokensView },
      { path: '/elsewhere', name: 'members', component: { template: '<p>Members</p>' } },
    ],
  })
  await router.push('/')
  await router.isReady()
  const pinia = createTestingPinia({
    createSpy: vi.fn,
    stubActions: false,
    initialState: {
      session: {
        user: { id: 'u1', email: 'ada@example.com', name: 'Ada' },
        workspaces: [{ id: WS, name: 'Acme', role: 'owner' }],
        currentWorkspaceId: WS,
      },
      providers: { items: [makeProvider()], loaded: true },
    },
  })
  const Shell = { template: '<RouterView />' }
  const wrapper = mount(Shell, { global: { plugins: [pinia, router] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router }
}

async function fillAndCreate(wrapper: VueWrapper) {
  const form = wrapper.get('[data-testid="token-form"]')
  await form.get('input[name="name"]').setValue('Platform backend')
  await form.get('input[value="accounts:use"]').setValue(true)
  await form.get('form').trigger('submit')
  await flushPromises()
}

describe('ApiTokensView', () => {
  it('explains what tokens are for while there are none', async () => {
    api.once('GET', `${base}/api-tokens`, { status: 200, body: { items: [] } })
    const { wrapper } = await mountView()
    const empty = wrapper.get('[data-testid="tokens-empty"]')
    expect(empty.text()).toContain('No API tokens yet')
    expect(empty.text()).toContain('the provider secret never leaves Cloudlink')
    wrapper.unmount()
  })

  it('shows a new token once, and not after the owner leaves and comes back', async () => {
    // A small server: the list holds what was created (never with its secret).
    const stored: ReturnType<typeof makeApiToken>[] = []
    api
      .on('GET', `${base}/api-tokens`, () => ({ status: 200, body: { items: stored } }))
      .once('POST', `${base}/api-tokens`, () => {
        stored.push(makeApiToken())
        return { status: 201, body: makeCreatedToken() }
      })
    const { wrapper, router } = await mountView()
    await fillAndCreate(wrapper)

    const created = wrapper.get('[data-testid="created-token"]')
    expect(created.get('input').element.value).toBe(SECRET)
    expect(wrapper.findAll('[data-testid="token-row"]')).toHaveLength(1)
    // The form is empty again for the next token.
    expect(wrapper.get<HTMLInputElement>('input[name="name"]').element.value).toBe('')

    await router.push('/elsewhere')
    await flushPromises()
    await router.push('/')
    await flushPromises()
    expect(wrapper.find('[data-testid="created-token"]').exists()).toBe(false)
    expect(wrapper.findAll('[data-testid="token-row"]')).toHaveLength(1)
    expect(wrapper.html()).not.toContain(SECRET)
    wrapper.unmount()
  })

  it('hides the token when the owner says it is copied', async () => {
    api
      .once('GET', `${base}/api-tokens`, { status: 200, body: { items: [] } })
      .once('POST', `${base}/api-tokens`, { status: 201, body: makeCreatedToken() })
    const { wrapper } = await mountView()
    await fillAndCreate(wrapper)
    await wrapper.get('[data-testid="created-token"] .btn--primary').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid="created-token"]').exists()).toBe(false)
    expect(document.activeElement).toBe(wrapper.get('#tokens-title').element)
    expect(wrapper.html()).not.toContain(SECRET)
    wrapper.unmount()
  })

  it("shows the server's field errors next to the fields and keeps what was typed", async () => {
    api
      .once('GET', `${base}/api-tokens`, { status: 200, body: { items: [] } })
      .once(
        'POST',
        `${base}/api-tokens`,
        apiError(400, 'VALIDATION_FAILED', 'name: taken', [
          { field: 'name', message: 'is already the name of a token' },
        ]),
      )
    const { wrapper } = await mountView()
    await fillAndCreate(wrapper)
    const name = wrapper.get('input[name="name"]')
    expect(name.attributes('aria-invalid')).toBe('true')
    expect((name.element as HTMLInputElement).value).toBe('Platform backend')
    const errorId = name.attributes('aria-describedby')!.split(' ')[1]!
    expect(wrapper.get(`[id="${errorId}"]`).text()).toBe('is already the name of a token')
    expect(wrapper.find('[data-testid="created-token"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('revokes only after the owner confirms', async () => {
    api
      .once('GET', `${base}/api-tokens`, { status: 200, body: { items: [makeApiToken()] } })
      .once('DELETE', `${base}/api-tokens/${TOKEN_ID}`, { status: 204 })
    const { wrapper } = await mountView()
    await wrapper.get('button[aria-label="Revoke Platform backend"]').trigger('click')
    const dialog = wrapper.get('[role="dialog"]')
    expect(dialog.text()).toContain('Revoke Platform backend?')
    expect(dialog.text()).toContain('refused at once')
    expect(api.calls.some((c) => c.method === 'DELETE')).toBe(false)

    await dialog
      .findAll('button')
      .find((b) => b.text() === 'Cancel')!
      .trigger('click')
    expect(wrapper.find('[role="dialog"]').exists()).toBe(false)
    expect(api.calls.some((c) => c.method === 'DELETE')).toBe(false)

    await wrapper.get('button[aria-label="Revoke Platform backend"]').trigger('click')
    await wrapper.get('[data-testid="confirm-revoke"]').trigger('click')
    await flushPromises()
    expect(api.calls.filter((c) => c.method === 'DELETE')).toHaveLength(1)
    expect(wrapper.find('[role="dialog"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="token-row"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="flash"]').text()).toBe('Platform backend was revoked.')
    wrapper.unmount()
  })

  it('keeps the dialog open with the reason when revoking fails', async () => {
    api
      .once('GET', `${base}/api-tokens`, { status: 200, body: { items: [makeApiToken()] } })
      .once('DELETE', `${base}/api-tokens/${TOKEN_ID}`, apiError(404, 'NOT_FOUND', 'gone'))
    const { wrapper } = await mountView()
    await wrapper.get('button[aria-label="Revoke Platform backend"]').trigger('click')
    await wrapper.get('[data-testid="confirm-revoke"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[role="dialog"] [role="alert"]').attributes('data-code')).toBe('NOT_FOUND')
    expect(wrapper.findAll('[data-testid="token-row"]')).toHaveLength(1)
    wrapper.unmount()
  })
})
