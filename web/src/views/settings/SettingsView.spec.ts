import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createTestingPinia } from '@pinia/testing'
import { createMemoryHistory, createRouter, type RouteLocationNormalized } from 'vue-router'
import SettingsView from './SettingsView.vue'
import { createAppRouter } from '@/router'
import { workspaceGuard, type SessionPort } from '@/router/guards'
import { WS } from '@/test/fixtures'

const Blank = { template: '<p>page</p>' }

async function mountSettings(role: 'owner' | 'member') {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      {
        path: '/w/:workspaceId/settings',
        component: SettingsView,
        children: [
          { path: 'cloud-accounts', name: 'cloud-accounts', component: Blank },
          { path: 'members', name: 'members', component: Blank },
          { path: 'api-tokens', name: 'api-tokens', component: Blank },
          { path: 'notifications', name: 'notifications', component: Blank },
        ],
      },
    ],
  })
  await router.push(`/w/${WS}/settings/members`)
  await router.isReady()
  const pinia = createTestingPinia({
    createSpy: vi.fn,
    initialState: {
      session: {
        user: { id: 'u1', email: 'ada@example.com', name: 'Ada' },
        workspaces: [{ id: WS, name: 'Acme', role }],
        currentWorkspaceId: WS,
      },
    },
  })
  const wrapper = mount(SettingsView, { global: { plugins: [pinia, router] } })
  await flushPromises()
  return wrapper
}

const navLinks = (wrapper: Awaited<ReturnType<typeof mountSettings>>) =>
  wrapper
    .get('nav[aria-label="Settings"]')
    .findAll('a')
    .map((a) => a.text())

describe('SettingsView', () => {
  it('owners find the API tokens and Notifications tabs', async () => {
    const wrapper = await mountSettings('owner')
    expect(navLinks(wrapper)).toEqual(['Cloud accounts', 'Members', 'API tokens', 'Notifications'])
    const link = wrapper.findAll('a').find((a) => a.text() === 'API tokens')!
    expect(link.attributes('href')).toBe(`/w/${WS}/settings/api-tokens`)
    const notify = wrapper.findAll('a').find((a) => a.text() === 'Notifications')!
    expect(notify.attributes('href')).toBe(`/w/${WS}/settings/notifications`)
  })

  it('members see neither the API tokens nor the Notifications tab', async () => {
    const wrapper = await mountSettings('member')
    expect(navLinks(wrapper)).toEqual(['Cloud accounts', 'Members'])
  })

  it("the app's API tokens, broker-calls and notifications routes are owner-only: a member's link says so", () => {
    const router = createAppRouter()
    const member: SessionPort = {
      setupNeeded: false,
      checked: true,
      signedIn: true,
      workspaces: [{ id: WS, name: 'Acme', role: 'member' }],
      checkSetup: vi.fn(),
      restore: vi.fn(),
      selectWorkspace: vi.fn(),
      preferredWorkspaceId: () => WS,
    }
    for (const name of ['api-tokens', 'broker-calls', 'notifications']) {
      const to = router.resolve({ name, params: { workspaceId: WS } })
      expect(to.meta.access).toBe('owner')
      // A resolved location carries what the guard reads (name, params, merged meta).
      expect(workspaceGuard(to as RouteLocationNormalized, member)).toEqual({
        name: 'owner-only',
        params: { workspaceId: WS },
        query: { page: name },
      })
    }
  })
})
