import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createTestingPinia } from '@pinia/testing'
import RequireMfaToggle from './RequireMfaToggle.vue'
import { apiError, mockApi } from '@/test/api-mock'

afterEach(() => vi.unstubAllGlobals())

const WS = '11111111-1111-4111-8111-111111111111'
const user = { id: 'u1', email: 'ada@example.com', name: 'Ada' }

function mountToggle() {
  const pinia = createTestingPinia({
    createSpy: vi.fn,
    stubActions: false,
    initialState: {
      session: {
        user,
        workspaces: [{ id: WS, name: 'Acme', role: 'owner', requireMfa: false }],
        currentWorkspaceId: WS,
      },
    },
  })
  return mount(RequireMfaToggle, { global: { plugins: [pinia] } })
}

describe('RequireMfaToggle', () => {
  it('turns the rule on and reloads the session', async () => {
    const api = mockApi()
      .once('PATCH', `/api/v1/workspaces/${WS}`, {
        status: 200,
        body: { id: WS, name: 'Acme', role: 'owner', requireMfa: true },
      })
      .once('GET', '/api/v1/me', {
        status: 200,
        body: { user, workspaces: [{ id: WS, name: 'Acme', role: 'owner', requireMfa: true }] },
      })
    const wrapper = mountToggle()
    await wrapper.get('input[type="checkbox"]').setValue(true)
    await flushPromises()
    expect(api.calls[0]?.body).toEqual({ requireMfa: true })
    expect((wrapper.get('input').element as HTMLInputElement).checked).toBe(true)
    api.verify()
  })

  it('an owner without a second factor is told to turn on their own first', async () => {
    mockApi().once(
      'PATCH',
      `/api/v1/workspaces/${WS}`,
      apiError(409, 'CONFLICT', 'Turn on your own second factor (Security) before requiring one'),
    )
    const wrapper = mountToggle()
    await wrapper.get('input[type="checkbox"]').setValue(true)
    await flushPromises()
    expect(wrapper.get('[data-testid="error-alert"]').text()).toContain('your own second factor')
    expect((wrapper.get('input').element as HTMLInputElement).checked).toBe(false)
  })
})
