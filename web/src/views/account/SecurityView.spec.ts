import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createTestingPinia } from '@pinia/testing'
import SecurityView from './SecurityView.vue'
import { apiError, mockApi } from '@/test/api-mock'

afterEach(() => vi.unstubAllGlobals())

const session = (id: string, current: boolean, userAgent: string | null = 'Firefox') => ({
  id,
  createdAt: '2026-12-01T10:00:00.000Z',
  lastSeenAt: '2026-12-05T10:00:00.000Z',
  ip: '203.0.113.7',
  userAgent,
  current,
})

function mountView(
  security = { mfaEnabled: false, recoveryCodesLeft: 0, mfaEnrolmentRequired: false },
) {
  const pinia = createTestingPinia({
    createSpy: vi.fn,
    stubActions: false,
    initialState: {
      session: { user: { id: 'u1', email: 'ada@example.com', name: 'Ada' }, security },
    },
  })
  return mount(SecurityView, { global: { plugins: [pinia] }, attachTo: document.body })
}

describe('SecurityView', () => {
  it('lists sessions and ends another one; the current one cannot be ended here', async () => {
    const api = mockApi()
      .once('GET', '/api/v1/me/sessions', {
        status: 200,
        body: { items: [session('s-current', true), session('s-stolen', false, null)] },
      })
      .once('DELETE', '/api/v1/me/sessions/s-stolen', { status: 204 })
    const wrapper = mountView()
    await flushPromises()
    const rows = wrapper.findAll('[data-testid="session-row"]')
    expect(rows).toHaveLength(2)
    expect(rows[0]?.text()).toContain('This session')
    expect(rows[0]?.find('button').exists()).toBe(false)
    expect(rows[1]?.text()).toContain('Unknown browser')
    await rows[1]?.get('button').trigger('click')
    await flushPromises()
    expect(wrapper.findAll('[data-testid="session-row"]')).toHaveLength(1)
    expect(wrapper.get('[data-testid="flash"]').text()).toBe('Session ended.')
    api.verify()
    wrapper.unmount()
  })

  it('changes the password; a wrong current password shows at its field', async () => {
    const api = mockApi()
      .on('GET', '/api/v1/me/sessions', { status: 200, body: { items: [session('s1', true)] } })
      .once(
        'POST',
        '/api/v1/me/password',
        apiError(400, 'VALIDATION_FAILED', 'currentPassword: is not your current password', [
          { field: 'currentPassword', message: 'is not your current password' },
        ]),
      )
      .once('POST', '/api/v1/me/password', { status: 204 })
    const wrapper = mountView({
      mfaEnabled: false,
      recoveryCodesLeft: 0,
      mfaEnrolmentRequired: true,
    })
    await flushPromises()
    expect(wrapper.find('[data-testid="enrol-required"]').exists()).toBe(true)
    const form = wrapper.get('[data-testid="password-form"]')
    await form.get('#current-password').setValue('wrong one')
    await form.get('#new-password').setValue('violet kettles hum at dawn')
    await form.trigger('submit')
    await flushPromises()
    expect(form.text()).toContain('is not your current password')
    await form.get('#current-password').setValue('the right one')
    await form.trigger('submit')
    await flushPromises()
    expect(api.calls.filter((c) => c.method === 'POST').at(-1)?.body).toEqual({
      currentPassword: 'the right one',
      newPassword: 'violet kettles hum at dawn',
    })
    expect(wrapper.get('[data-testid="flash"]').text()).toContain('other sessions were signed out')
    api.verify()
    wrapper.unmount()
  })
})
