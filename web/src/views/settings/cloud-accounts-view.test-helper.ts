import { vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createTestingPinia } from '@pinia/testing'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Provider } from '@cloudlink/shared'
import CloudAccountsView from './CloudAccountsView.vue'
import { WS, VALID_TOKEN, makeProvider } from '@/test/fixtures'

/** The cloud accounts page with its two routes (the list, the connect panel), stores stubbed. */
const Blank = { render: () => null }

export async function mountView(
  role: 'owner' | 'member',
  state: { accounts?: unknown[]; sandbox?: boolean; providers?: Provider[]; query?: string } = {},
) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      {
        path: '/',
        component: CloudAccountsView,
        children: [
          { path: '', name: 'cloud-accounts', component: Blank },
          { path: 'connect/:provider', name: 'cloud-accounts-connect', component: Blank },
        ],
      },
    ],
  })
  await router.push(`/${state.query ?? ''}`)
  await router.isReady()
  const pinia = createTestingPinia({
    createSpy: vi.fn,
    initialState: {
      session: {
        user: { id: 'u1', email: 'ada@example.com', name: 'Ada' },
        workspaces: [{ id: WS, name: 'Acme', role }],
        currentWorkspaceId: WS,
      },
      'cloud-accounts': { workspaceId: WS, items: state.accounts ?? [], loaded: true },
      providers: {
        items: state.providers ?? [
          makeProvider(),
          makeProvider({ id: 'vultr', name: 'Vultr', fields: [] }),
        ],
        loaded: true,
        sandbox: state.sandbox ?? false,
        demoCredentials: state.sandbox
          ? [{ provider: 'hetzner-cloud', kind: 'good', credentials: { token: VALID_TOKEN } }]
          : [],
      },
    },
  })
  const wrapper = mount(CloudAccountsView, {
    global: { plugins: [pinia, router] },
    attachTo: document.body,
  })
  await flushPromises()
  return wrapper
}
