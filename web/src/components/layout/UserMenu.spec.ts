import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createTestingPinia } from '@pinia/testing'
import { createMemoryHistory, createRouter } from 'vue-router'
import UserMenu from './UserMenu.vue'
import { applyStoredTheme } from '@/composables/use-theme'

const longEmail = 'someone.with.a.really.long.address@subdomain.operations.example.com'

const page = { template: '<div />' }

function mountMenu() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'home', component: page },
      { path: '/security', name: 'security', component: page },
    ],
  })
  return mount(UserMenu, {
    attachTo: document.body,
    global: {
      plugins: [
        router,
        createTestingPinia({
          createSpy: vi.fn,
          initialState: { session: { user: { id: 'u1', email: longEmail, name: 'Ada' } } },
        }),
      ],
    },
  })
}

describe('UserMenu', () => {
  afterEach(() => {
    localStorage.clear()
    delete document.documentElement.dataset.theme
  })

  it('shows the whole email and links the API documentation', () => {
    const wrapper = mountMenu()
    expect(wrapper.get('summary').text()).toContain('Ada')
    expect(wrapper.get('[data-testid="user-email"]').text()).toBe(longEmail)
    const link = wrapper.get('[data-testid="api-docs-link"]')
    expect(link.attributes('href')).toBe('/api/docs')
    expect(link.text()).toContain('API documentation')
    wrapper.unmount()
  })

  it('follows the system until a theme is picked, and remembers the pick', async () => {
    const wrapper = mountMenu()
    expect((wrapper.get('[data-testid="theme-system"]').element as HTMLInputElement).checked).toBe(
      true,
    )
    expect(document.documentElement.dataset.theme).toBeUndefined()
    await wrapper.get('[data-testid="theme-dark"]').setValue(true)
    expect(document.documentElement.dataset.theme).toBe('dark')
    expect(localStorage.getItem('cloudlink.theme')).toBe('dark')
    delete document.documentElement.dataset.theme
    applyStoredTheme()
    expect(document.documentElement.dataset.theme).toBe('dark')
    await wrapper.get('[data-testid="theme-system"]').setValue(true)
    expect(document.documentElement.dataset.theme).toBeUndefined()
    expect(localStorage.getItem('cloudlink.theme')).toBeNull()
    wrapper.unmount()
  })

  it('links the Security page, and closes once it is followed', async () => {
    const wrapper = mountMenu()
    const details = wrapper.get('details').element as HTMLDetailsElement
    details.open = true
    const link = wrapper.get('[data-testid="security-link"]')
    expect(link.attributes('href')).toBe('/security')
    expect(link.text()).toBe('Security')
    await link.trigger('click')
    await flushPromises()
    expect(details.open).toBe(false)
    wrapper.unmount()
  })

  it('Escape closes it and gives focus back to its button', async () => {
    const wrapper = mountMenu()
    const details = wrapper.get('details').element as HTMLDetailsElement
    details.open = true
    await wrapper.get('[data-testid="api-docs-link"]').trigger('keydown', { key: 'Escape' })
    expect(details.open).toBe(false)
    expect(document.activeElement).toBe(wrapper.get('summary').element)
    wrapper.unmount()
  })
})
