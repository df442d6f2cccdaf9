import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createTestingPinia } from '@pinia/testing'
import { createMemoryHistory, createRouter } from 'vue-router'
import BrokerCallsView from './BrokerCallsView.vue'
import { mockApi } from '@/test/api-mock'
import { WS, makeAccount, makeBrokerCall, makeProvider } from '@/test/fixtures'

const base = `/api/v1/workspaces/${WS}`
let api: ReturnType<typeof mockApi>

beforeEach(() => {
  api = mockApi().on('GET', `${base}/cloud-accounts`, {
    status: 200,
    body: { items: [makeAccount()] },
  })
})
afterEach(() => {
  api.verify()
  vi.unstubAllGlobals()
})

async function mountView() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/w/:workspaceId/audit', name: 'audit', component: { template: '<p />' } },
      {
        path: '/w/:workspaceId/audit/broker-calls',
        name: 'broker-calls',
        component: BrokerCallsView,
      },
    ],
  })
  await router.push(`/w/${WS}/audit/broker-calls`)
  await router.isReady()
  const pinia = createTestingPinia({
    createSpy: vi.fn,
    stubActions: false,
    initialState: {
      session: {
        user: { id: 'u1', email: 'ada@example.com', name: 'Ada' },
        workspaces: [{ id: WS, name: 'Acme', role: 'owner' }],
        currentWorkspaceId: WS,
      },
      providers: { items: [makeProvider()], loaded: true },
    },
  })
  const wrapper = mount(BrokerCallsView, { global: { plugins: [pinia, router] } })
  await flushPromises()
  return wrapper
}

const id = (n: number) => `88888888-8888-4888-8888-${String(n).padStart(12, '0')}`

describe('BrokerCallsView', () => {
  it('lists each call: when, token, account, method, origin, path, status and latency', async () => {
    api.once('GET', `${base}/broker-calls?limit=50`, {
      status: 200,
      body: {
        items: [
          makeBrokerCall(),
          makeBrokerCall({
            id: id(2),
            token: null,
            accountId: '25252525-2525-4525-8525-252525252525',
            method: 'POST',
            path: '/v1/servers',
            status: 403,
            latencyMs: 3,
          }),
        ],
        nextCursor: null,
      },
    })
    const wrapper = await mountView()
    const cells = (n: number) =>
      wrapper
        .findAll('[data-testid="broker-row"]')
        [n]!.findAll('td')
        .map((td) => td.text())
    // The account cell is its label over the provider's name.
    expect(cells(0).slice(1)).toEqual([
      'Platform backend',
      'ProductionHetzner Cloud',
      'GET',
      'https://api.hetzner.cloud',
      '/v1/servers?page=…',
      '200',
      '84 ms',
    ])
    expect(wrapper.get('[data-testid="broker-row"] time').attributes('datetime')).toBeTruthy()
    expect(cells(1).slice(1, 4)).toEqual(['Deleted token', 'Removed accountHetzner Cloud', 'POST'])
    expect(cells(1)[6]).toBe('403')
    expect(wrapper.find('button.btn').exists()).toBe(false)
    expect(wrapper.get('nav[aria-label="Audit sections"] [aria-current="page"]').text()).toBe(
      'Broker calls',
    )
  })

  it('loads older calls by cursor until there are no more', async () => {
    api
      .once('GET', `${base}/broker-calls?limit=50`, {
        status: 200,
        body: { items: [makeBrokerCall({ id: id(1) })], nextCursor: 'next-1' },
      })
      .once('GET', `${base}/broker-calls?limit=50&cursor=next-1`, {
        status: 200,
        body: { items: [makeBrokerCall({ id: id(2), path: '/v1/images' })], nextCursor: null },
      })
    const wrapper = await mountView()
    expect(wrapper.findAll('[data-testid="broker-row"]')).toHaveLength(1)
    const more = wrapper.findAll('button').find((b) => b.text() === 'Load older calls')!
    await more.trigger('click')
    await flushPromises()
    const rows = wrapper.findAll('[data-testid="broker-row"]')
    expect(rows).toHaveLength(2)
    expect(rows[1]!.text()).toContain('/v1/images')
    expect(wrapper.findAll('button').some((b) => b.text() === 'Load older calls')).toBe(false)
  })

  it('says what the list will hold while it is empty', async () => {
    api.once('GET', `${base}/broker-calls?limit=50`, {
      status: 200,
      body: { items: [], nextCursor: null },
    })
    const wrapper = await mountView()
    expect(wrapper.get('[data-testid="broker-empty"]').text()).toContain('accounts:use')
  })
})
