import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createTestingPinia } from '@pinia/testing'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import type { AuditEntry } from '@cloudlink/shared'
import AuditView from './AuditView.vue'
import { mockApi } from '@/test/api-mock'
import {
  ACCOUNT_ID,
  WS,
  makeAccount,
  makeApiToken,
  makeMember,
  makeProvider,
} from '@/test/fixtures'

const base = `/api/v1/workspaces/${WS}`
const REMOVED = '22222222-2222-4222-8222-000000000009'
const ada = makeMember()
let api: ReturnType<typeof mockApi>

const entry = (n: number, overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  id: `55555555-5555-4555-8555-${String(n).padStart(12, '0')}`,
  at: new Date(Date.now() - n * 60_000).toISOString(),
  actor: { type: 'user', id: ada.user.id, name: 'Ada', email: 'ada@example.com' },
  ip: '203.0.113.5',
  action: 'account.update',
  provider: 'hetzner-cloud',
  accountId: ACCOUNT_ID,
  outcome: 'success',
  message: 'Changed the description',
  ...overrides,
})

beforeEach(() => {
  api = mockApi()
    .on('GET', `${base}/cloud-accounts`, { status: 200, body: { items: [makeAccount()] } })
    .on('GET', `${base}/members`, { status: 200, body: { items: [ada] } })
    .on('GET', `${base}/api-tokens`, { status: 200, body: { items: [makeApiToken()] } })
})
afterEach(() => {
  api.verify()
  vi.unstubAllGlobals()
})

async function mountView(query = '') {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/w/:workspaceId/audit', name: 'audit', component: AuditView },
      {
        path: '/w/:workspaceId/audit/broker-calls',
        name: 'broker-calls',
        component: { render: () => null },
      },
    ],
  })
  await router.push(`/w/${WS}/audit${query}`)
  await router.isReady()
  const pinia = createTestingPinia({
    createSpy: vi.fn,
    stubActions: false,
    initialState: {
      session: {
        user: ada.user,
        workspaces: [{ id: WS, name: 'Acme', role: 'owner' }],
        currentWorkspaceId: WS,
      },
      providers: { items: [makeProvider()], loaded: true },
    },
  })
  const wrapper = mount(AuditView, { global: { plugins: [pinia, router] } })
  await flushPromises()
  return { wrapper, router }
}

const rows = (wrapper: Awaited<ReturnType<typeof mountView>>['wrapper']) =>
  wrapper.findAll('[data-testid="audit-row"]')

describe('AuditView', () => {
  it('names the account on every row, in words, and a removed one as such', async () => {
    api.once('GET', `${base}/audit?limit=50`, {
      status: 200,
      body: {
        items: [
          entry(1, { action: 'account.set_default', message: 'Made "Production" the default' }),
          entry(2, { accountId: REMOVED, action: 'account.remove' }),
          entry(3, { action: 'member.invite', accountId: undefined, provider: undefined }),
        ],
        nextCursor: null,
      },
    })
    const { wrapper } = await mountView()
    const [first, second, third] = rows(wrapper)
    expect(first!.get('[data-testid="audit-action"]').text()).toBe('Changed the default account')
    expect(first!.get('[data-testid="audit-account"]').text()).toContain('Production')
    expect(first!.get('[data-testid="audit-account"]').text()).toContain('Hetzner Cloud')
    expect(second!.get('[data-testid="audit-account"]').text()).toContain('Removed account')
    expect(third!.get('[data-testid="audit-account"]').text()).toBe('')
    expect(wrapper.text()).not.toContain('isDefault')
  })

  it('reads the filters from the address, asks the server for them, and writes changes back', async () => {
    api
      .once('GET', `${base}/audit?limit=50&accountId=${ACCOUNT_ID}`, {
        status: 200,
        body: { items: [entry(1)], nextCursor: null },
      })
      .once('GET', `${base}/audit?limit=50&outcome=failed&accountId=${ACCOUNT_ID}`, {
        status: 200,
        body: { items: [], nextCursor: null },
      })
    const { wrapper, router } = await mountView(`?account=${ACCOUNT_ID}`)
    expect(rows(wrapper)).toHaveLength(1)
    const account = wrapper.get('[data-testid="audit-filter-account"]')
    expect((account.element as HTMLSelectElement).value).toBe(ACCOUNT_ID)
    await wrapper.get('[data-testid="audit-filter-outcome"]').setValue('failed')
    await flushPromises()
    expect((router as Router).currentRoute.value.query).toEqual({
      account: ACCOUNT_ID,
      outcome: 'failed',
    })
    expect(wrapper.get('[data-testid="audit-empty"]').text()).toBe(
      'No entries match these filters.',
    )
  })

  it('offers people and tokens as "who", and every action in words', async () => {
    api.once('GET', `${base}/audit?limit=50`, {
      status: 200,
      body: { items: [entry(1)], nextCursor: null },
    })
    const { wrapper } = await mountView()
    const actors = wrapper.findAll('[data-testid="audit-filter-actor"] option').map((o) => o.text())
    expect(actors).toEqual(['Anyone', 'Ada', 'API token: Platform backend'])
    const actions = wrapper
      .findAll('[data-testid="audit-filter-action"] option')
      .map((o) => o.text())
    expect(actions).toContain('Changed the default account')
    expect(actions.every((a) => !a.includes('.'))).toBe(true)
  })

  it('pages with the cursor, keeping the filter', async () => {
    api
      .once('GET', `${base}/audit?limit=50&action=account.update`, {
        status: 200,
        body: { items: [entry(1), entry(2)], nextCursor: 'c2' },
      })
      .once('GET', `${base}/audit?limit=50&cursor=c2&action=account.update`, {
        status: 200,
        body: { items: [entry(3)], nextCursor: null },
      })
    const { wrapper } = await mountView('?action=account.update')
    await wrapper.get('[data-testid="audit-more"]').trigger('click')
    await flushPromises()
    expect(rows(wrapper)).toHaveLength(3)
    expect(wrapper.find('[data-testid="audit-more"]').exists()).toBe(false)
  })

  it('the scrolling region can be reached with the keyboard and is named', async () => {
    api.once('GET', `${base}/audit?limit=50`, {
      status: 200,
      body: { items: [entry(1)], nextCursor: null },
    })
    const { wrapper } = await mountView()
    const region = wrapper.get('[data-testid="audit-region"]')
    expect(region.attributes('tabindex')).toBe('0')
    expect(region.attributes('role')).toBe('region')
    const label = wrapper.get(`#${region.attributes('aria-labelledby')}`)
    expect(label.text()).toBe('Audit log entries')
  })
})
