import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createTestingPinia } from '@pinia/testing'
import { createMemoryHistory, createRouter } from 'vue-router'
import LoginView from './LoginView.vue'
import { useSessionStore } from '@/stores/session'
import { ApiError } from '@/api/client'
import { apiError, mockApi } from '@/test/api-mock'

afterEach(() => vi.unstubAllGlobals())

const TOKEN = 'm'.repeat(43)
const me = (mfaEnrolmentRequired = false) => ({
  status: 200,
  body: {
    user: { id: 'u1', email: 'ada@example.com', name: 'Ada' },
    workspaces: [],
    security: { mfaEnabled: !mfaEnrolmentRequired, recoveryCodesLeft: 10, mfaEnrolmentRequired },
  },
})

async function mountLogin() {
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', name: 'login', component: LoginView },
      { path: '/', name: 'home', component: { template: '<p>Home</p>' } },
      { path: '/security', name: 'security', component: { template: '<p>Security</p>' } },
    ],
  })
  await router.push('/login')
  await router.isReady()
  const wrapper = mount({ template: '<RouterView />' }, { global: { plugins: [pinia, router] } })
  return { wrapper, router }
}

async function signIn(wrapper: ReturnType<typeof mount>) {
  await wrapper.get('#login-email').setValue('ada@example.com')
  await wrapper.get('#login-password').setValue('correct horse battery staple')
  await wrapper.get('form').trigger('submit')
  await flushPromises()
}

describe('LoginView', () => {
  it('asks for a code after the password when a second factor is on', async () => {
    const api = mockApi()
      .once(
        'POST',
        '/api/v1/auth/login',
        apiError(401, 'MFA_REQUIRED', 'Enter a code', { mfaToken: TOKEN }),
      )
      .once(
        'POST',
        '/api/v1/auth/login/mfa',
        apiError(401, 'UNAUTHENTICATED', 'That code is wrong, used or expired; 4 tries left'),
      )
      .once('POST', '/api/v1/auth/login/mfa', {
        status: 200,
        body: { token: 'jwt', expiresAt: '2026-12-06T00:00:00.000Z', user: me().body.user },
      })
      .once('GET', '/api/v1/me', me())
    const { wrapper, router } = await mountLogin()
    await signIn(wrapper)
    expect(wrapper.find('[data-testid="login-mfa"]').exists()).toBe(true)
    expect(wrapper.find('#login-password').exists()).toBe(false)

    await wrapper.get('#login-code').setValue('000000')
    await wrapper.get('[data-testid="login-mfa"]').trigger('submit')
    await flushPromises()
    expect(wrapper.text()).toContain('4 tries left')

    await wrapper.get('#login-code').setValue('abcd-efgh-jkmn')
    await wrapper.get('[data-testid="login-mfa"]').trigger('submit')
    await flushPromises()
    expect(api.calls.at(-2)?.body).toEqual({ mfaToken: TOKEN, code: 'abcd-efgh-jkmn' })
    expect(router.currentRoute.value.name).toBe('home')
    api.verify()
  })

  it('sends someone a workspace requires a second factor of to enrol first', async () => {
    mockApi()
      .once('POST', '/api/v1/auth/login', {
        status: 200,
        body: {
          token: 'jwt',
          expiresAt: '2026-12-06T00:00:00.000Z',
          user: me().body.user,
          mfaEnrolmentRequired: true,
        },
      })
      .once('GET', '/api/v1/me', me(true))
    const { wrapper, router } = await mountLogin()
    await signIn(wrapper)
    expect(router.currentRoute.value.name).toBe('security')
  })
})

/** The page with a stubbed session store: its error is set by hand. */
async function mountWithError(query: string) {
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

describe('LoginView messages', () => {
  it('a wrong password says "wrong email or password", and no signed-out banner', async () => {
    const { wrapper, session } = await mountWithError('?signedOut=1')
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
    const { wrapper, session } = await mountWithError('')
    session.error = new ApiError({ status: 429, code: 'RATE_LIMITED', message: 'slow down' })
    await flushPromises()
    expect(wrapper.get('.alert__title').text()).toMatch(/^Too many attempts/)
  })
})
