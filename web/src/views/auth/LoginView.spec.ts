import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createTestingPinia } from '@pinia/testing'
import { createMemoryHistory, createRouter } from 'vue-router'
import LoginView from './LoginView.vue'
import { useSessionStore } from '@/stores/session'
import { ApiError } from '@/api/client'

async function mountLogin(query: string) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/login', name: 'login', component: LoginView }],
  })
  await router.push(`/login${query}`)
  await router.isReady()
  const pinia = createTestingPinia({ createSpy: vi.fn })
  const wrapper = mount(LoginView, { global: { plugins: [pinia, router] } })
  return { wrapper, session: useSessionStore(pinia) }
}

describe('LoginView', () => {
  it('a wrong password says "wrong email or password", and no signed-out banner', async () => {
    const { wrapper, session } = await mountLogin('?signedOut=1')
    expect(wrapper.text()).toContain("You've been signed out.")
    session.error = new ApiError({
      status: 401,
      code: 'UNAUTHENTICATED',
      message: 'Email or password is incorrect',
      requestId: 'req-9',
    })
    await flushPromises()
    expect(wrapper.get('.alert__title').text()).toBe(
      'Wrong email or password. Check both and try again.',
    )
    expect(wrapper.text()).not.toContain('signed out')
    expect(wrapper.text()).not.toContain('session ended')
    expect(wrapper.get('.alert__title').text()).not.toContain('req-9')
  })

  it('other failures keep their own sentence', async () => {
    const { wrapper, session } = await mountLogin('')
    session.error = new ApiError({ status: 429, code: 'RATE_LIMITED', message: 'slow down' })
    await flushPromises()
    expect(wrapper.get('.alert__title').text()).toMatch(/^Too many attempts/)
  })
})
