import { describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { createTestingPinia } from '@pinia/testing'
import AccountList from './AccountList.vue'
import { ACCOUNT_ID, WS, makeAccount, makeProvider } from '@/test/fixtures'
import { DEFAULT_LIST_QUERY } from '@/composables/account-query'

const BROKEN = '99999999-9999-4999-8999-999999999999'

describe('AccountList', () => {
  it('shows beside a broken account which owners were told, and nothing beside a healthy one', () => {
    const told = new Date(Date.now() - 2 * 3600_000).toISOString()
    const pinia = createTestingPinia({
      createSpy: vi.fn,
      initialState: {
        'cloud-accounts': {
          workspaceId: WS,
          loaded: true,
          items: [
            makeAccount(),
            makeAccount({ id: BROKEN, label: 'Staging', status: 'needs_attention' }),
          ],
        },
        providers: { items: [makeProvider()], loaded: true },
        'account-alerts': {
          workspaceId: WS,
          loaded: true,
          items: [
            {
              accountId: BROKEN,
              event: 'account.needs_attention',
              at: told,
              told: [{ user: { id: 'u1', name: 'Ada' }, at: told }],
              webhookDeliveredAt: null,
            },
          ],
        },
      },
    })
    const wrapper = mount(AccountList, {
      props: { canManage: true, query: DEFAULT_LIST_QUERY, workspaceId: WS },
      global: { plugins: [pinia] },
    })
    const healthy = wrapper.get(`#account-${ACCOUNT_ID}`)
    const broken = wrapper.get(`#account-${BROKEN}`)
    expect(healthy.find('[data-testid="alert-note"]').exists()).toBe(false)
    expect(broken.get('[data-testid="alert-note"]').text()).toBe('Owners told: Ada (2 h ago)')
  })
})
