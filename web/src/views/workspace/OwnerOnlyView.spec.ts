import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createTestingPinia } from '@pinia/testing'
import { createMemoryHistory, createRouter } from 'vue-router'
import OwnerOnlyView from './OwnerOnlyView.vue'
import { mockApi } from '@/test/api-mock'
import { WS, makeMember } from '@/test/fixtures'

describe('OwnerOnlyView', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('tells a member the page is for owners, names them, and leads back', async () => {
    const api = mockApi().on('GET', `/api/v1/workspaces/${WS}/members`, {
      status: 200,
      body: {
        items: [
          makeMember(),
          makeMember({
            user: { id: '66666666-6666-4666-8666-666666666666', email: 'm@x.io', name: 'Mo' },
            role: 'member',
          }),
        ],
      },
    })
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/w/:workspaceId/owner-only', name: 'owner-only', component: OwnerOnlyView },
        { path: '/w/:workspaceId/c', name: 'cloud-accounts', component: { render: () => null } },
      ],
    })
    await router.push(`/w/${WS}/owner-only?page=audit`)
    const pinia = createTestingPinia({
      createSpy: vi.fn,
      stubActions: false,
      initialState: {
        session: {
          user: { id: 'u1', email: 'mo@x.io', name: 'Mo' },
          workspaces: [{ id: WS, name: 'Acme', role: 'member' }],
          currentWorkspaceId: WS,
        },
      },
    })
    const wrapper = mount(OwnerOnlyView, { global: { plugins: [pinia, router] } })
    await flushPromises()
    api.verify()
    expect(wrapper.get('h1').text()).toBe('For workspace owners only')
    expect(wrapper.text()).toContain('Only owners of this workspace can open the audit log.')
    expect(wrapper.get('[data-testid="owner-names"]').text()).toBe('Owners: Ada.')
    expect(wrapper.get('a').attributes('href')).toBe(`/w/${WS}/c`)
  })
})
