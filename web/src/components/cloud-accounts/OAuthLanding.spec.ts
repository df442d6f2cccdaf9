import { describe, expect, it } from 'vitest'
import { flushPromises, mount, type DOMWrapper } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import OAuthLanding from './OAuthLanding.vue'
import { useProvidersStore } from '@/stores/providers'
import { makeProvider } from '@/test/fixtures'

const ATTACK = 'Your account is locked. Call +1 555 0100 to unlock it'

/** The alert's title and body, one entry per element. */
const sentences = (alert: Pick<DOMWrapper<Element>, 'findAll'>) =>
  alert.findAll('strong, p').map((part) => part.text())

async function land(query: string, { catalogue = true } = {}) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/', name: 'cloud-accounts', component: { template: '<div />' } }],
  })
  await router.push(`/?${query}`)
  await router.isReady()
  const pinia = createPinia()
  const wrapper = mount(OAuthLanding, { global: { plugins: [pinia, router] } })
  if (catalogue)
    useProvidersStore(pinia).items = [
      makeProvider({ id: 'digitalocean', name: 'DigitalOcean', authType: 'token' }),
    ]
  await flushPromises()
  return { wrapper, router }
}

describe('OAuthLanding', () => {
  it('says a known code in its own words and never the text from the address', async () => {
    const { wrapper, router } = await land(
      `oauthError=access_denied&provider=digitalocean&message=${encodeURIComponent(ATTACK)}`,
    )
    const alert = wrapper.get('[data-testid="oauth-error"]')
    expect(alert.attributes('role')).toBe('alert')
    expect(sentences(alert)).toEqual([
      "DigitalOcean didn't finish connecting the account.",
      'Access was declined at the provider, so nothing was connected.',
    ])
    expect(wrapper.html()).not.toContain('locked')
    expect(router.currentRoute.value.fullPath).toBe('/')
  })

  it('an unknown code gets the generic sentence, not the code or any message', async () => {
    const { wrapper, router } = await land(
      `oauthError=${encodeURIComponent(ATTACK)}&provider=evil.example&message=${encodeURIComponent(ATTACK)}`,
    )
    expect(sentences(wrapper.get('[data-testid="oauth-error"]'))).toEqual([
      "The provider didn't finish connecting the account.",
    ])
    expect(wrapper.html()).not.toContain('locked')
    expect(wrapper.html()).not.toContain('evil')
    expect(router.currentRoute.value.fullPath).toBe('/')
  })

  it('a known code without a known provider still gets its sentence', async () => {
    const { wrapper } = await land('oauthError=expired_state', { catalogue: false })
    expect(sentences(wrapper.get('[data-testid="oauth-error"]'))).toEqual([
      "The provider didn't finish connecting the account.",
      'The authorization took longer than 10 minutes. Start again.',
    ])
  })

  it('hands a success to the page and shows nothing itself', async () => {
    const { wrapper, router } = await land(
      `connected=22222222-2222-4222-8222-222222222222&message=${encodeURIComponent(ATTACK)}`,
    )
    expect(wrapper.emitted('connected')).toEqual([['22222222-2222-4222-8222-222222222222']])
    expect(wrapper.find('[data-testid="oauth-error"]').exists()).toBe(false)
    expect(wrapper.html()).not.toContain('locked')
    expect(router.currentRoute.value.fullPath).toBe('/')
  })

  it('does nothing on a plain visit', async () => {
    const { wrapper } = await land('')
    expect(wrapper.emitted('connected')).toBeUndefined()
    expect(wrapper.find('[data-testid="oauth-error"]').exists()).toBe(false)
  })
})
