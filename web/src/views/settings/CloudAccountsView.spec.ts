import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createTestingPinia } from '@pinia/testing'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import CloudAccountsView from './CloudAccountsView.vue'
import { useCloudAccountsStore } from '@/stores/cloud-accounts'
import type { Provider } from '@cloudlink/shared'
import { WS, VALID_TOKEN, makeAccount, makeProvider } from '@/test/fixtures'

const Blank = { render: () => null }

async function mountView(
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

describe('CloudAccountsView', () => {
  it('members see the list with no controls and a note about owners', async () => {
    const wrapper = await mountView('member', { accounts: [makeAccount()] })
    expect(wrapper.get('[data-testid="member-note"]').text()).toContain(
      'Only workspace owners can connect, change or remove cloud accounts',
    )
    expect(wrapper.findAll('[data-testid="account-row"]')).toHaveLength(1)
    expect(wrapper.find('[data-testid="account-actions"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="connect-another"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="provider-grid"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('members with no accounts get an empty state, not the provider grid', async () => {
    const wrapper = await mountView('member')
    expect(wrapper.get('[data-testid="empty-member"]').text()).toContain('No cloud accounts')
    expect(wrapper.find('[data-testid="provider-grid"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('owners with no accounts pick from a provider grid, which opens the guided panel', async () => {
    const wrapper = await mountView('owner')
    expect(wrapper.find('[data-testid="member-note"]').exists()).toBe(false)
    await wrapper.get('[data-testid="provider-grid"] button').trigger('click')
    await flushPromises()
    const panel = wrapper.get('[data-testid="connect-panel"]')
    expect(panel.get('h2').text()).toBe('Connect Hetzner Cloud')
    expect(document.activeElement).toBe(panel.get('h2').element)
    wrapper.unmount()
  })

  it('owners connect through the store and see the outcome', async () => {
    const wrapper = await mountView('owner')
    const store = useCloudAccountsStore()
    vi.mocked(store.connect).mockResolvedValue(makeAccount({ label: 'Prod' }))
    await wrapper.get('[data-testid="provider-grid"] button').trigger('click')
    await flushPromises()
    await wrapper.get('input[name="label"]').setValue('Prod')
    await wrapper.get('input[name="token"]').setValue(VALID_TOKEN)
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(store.connect).toHaveBeenCalledWith(
      {
        provider: 'hetzner-cloud',
        label: 'Prod',
        credentials: { token: VALID_TOKEN },
      },
      expect.any(AbortSignal),
    )
    expect(wrapper.get('[data-testid="flash"]').text()).toBe('Prod is connected.')
    wrapper.unmount()
  })

  it('owners with accounts see the list and "Connect another provider"', async () => {
    const wrapper = await mountView('owner', { accounts: [makeAccount()] })
    expect(wrapper.find('[data-testid="provider-grid"]').exists()).toBe(false)
    await wrapper.get('[data-testid="connect-another"]').trigger('click')
    expect(wrapper.find('[data-testid="provider-grid"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="account-actions"]').exists()).toBe(true)
    wrapper.unmount()
  })

  it('in sandbox mode, a banner shows the demo credentials', async () => {
    const wrapper = await mountView('owner', { sandbox: true })
    const banner = wrapper.get('[data-testid="sandbox-banner"]')
    expect(banner.text()).toContain('providers are simulated')
    expect(banner.text()).toContain(VALID_TOKEN)
    wrapper.unmount()
  })

  it('DigitalOcean offers both ways: its card opens the token form, One click the OAuth start', async () => {
    const digitalocean = makeProvider({
      id: 'digitalocean',
      name: 'DigitalOcean',
      oauth: { available: true },
    })
    const wrapper = await mountView('owner', { providers: [digitalocean] })
    const tile = wrapper.get('[data-testid="provider-grid"] [data-provider="digitalocean"]')
    expect(wrapper.get('[data-testid="oauth-also"]').text()).toContain('DigitalOcean')

    await tile.get('.tile__button').trigger('click')
    await flushPromises()
    let panel = wrapper.get('[data-testid="connect-panel"]')
    expect(panel.attributes('data-method')).toBe('credential')
    expect(panel.find('input[name="token"]').exists()).toBe(true)
    await panel
      .findAll('button')
      .find((b) => b.text() === 'Cancel')!
      .trigger('click')
    await flushPromises()

    await wrapper.get('[data-testid="oauth-choice"]').trigger('click')
    await flushPromises()
    panel = wrapper.get('[data-testid="connect-panel"]')
    expect(panel.attributes('data-method')).toBe('oauth')
    expect(panel.get('[data-testid="oauth-start"]').attributes('href')).toBe(
      `/api/v1/oauth/digitalocean/start?workspaceId=${WS}&label=DigitalOcean`,
    )
    wrapper.unmount()
  })

  it('after an OAuth failure, shows the sentence for its code and not the text in the link', async () => {
    const wrapper = await mountView('owner', {
      query: '?oauthError=browser_mismatch&provider=hetzner-cloud&message=Send+us+your+password',
    })
    const alert = wrapper.get('[data-testid="oauth-error"]')
    expect(alert.text()).toContain("Hetzner Cloud didn't finish connecting the account.")
    expect(alert.text()).toContain('Finish the authorization in the browser')
    expect(wrapper.html()).not.toContain('password')
    wrapper.unmount()
  })

  it('after an OAuth success, names the account that was connected', async () => {
    const wrapper = await mountView('owner', {
      accounts: [makeAccount()],
      query: `?connected=${makeAccount().id}`,
    })
    expect(wrapper.get('[data-testid="flash"]').text()).toBe('Production is connected.')
    wrapper.unmount()
  })

  describe('a list that scales', () => {
    const hetzner = (n: number, overrides = {}) =>
      makeAccount({
        id: `00000000-0000-4000-8000-00000000000${n}`,
        label: `Hetzner ${n}`,
        ...overrides,
      })
    const vultr = makeAccount({
      id: '00000000-0000-4000-8000-000000000009',
      provider: 'vultr',
      label: 'Vultr edge',
      isDefault: true,
    })
    const list = () => [
      hetzner(1, { isDefault: true }),
      hetzner(2, { status: 'needs_attention', statusReason: 'revoked' }),
      hetzner(3),
      vultr,
    ]
    const labels = (wrapper: Awaited<ReturnType<typeof mountView>>) =>
      wrapper.findAll('[data-testid="account-label"]').map((h) => h.text())

    it('counts what needs attention in the header and shows it first', async () => {
      const wrapper = await mountView('owner', { accounts: list() })
      expect(wrapper.get('[data-testid="attention-count"]').text()).toContain(
        '1 account needs attention',
      )
      expect(labels(wrapper)[0]).toBe('Hetzner 2')
      wrapper.unmount()
    })

    it('reads the filters from the address and writes them back', async () => {
      const wrapper = await mountView('owner', {
        accounts: list(),
        query: '?provider=hetzner-cloud&sort=name',
      })
      expect(labels(wrapper)).toEqual(['Hetzner 1', 'Hetzner 2', 'Hetzner 3'])
      expect(wrapper.get('[data-testid="filter-count"]').text()).toContain(
        'Showing 3 of 4 accounts',
      )
      await wrapper.get('[data-testid="filter-search"]').setValue('3')
      await flushPromises()
      const router = (wrapper.vm as unknown as { $router: Router }).$router
      expect(router.currentRoute.value.query).toEqual({
        provider: 'hetzner-cloud',
        sort: 'name',
        q: '3',
      })
      expect(labels(wrapper)).toEqual(['Hetzner 3'])
      await wrapper.get('[data-testid="filter-count"] button').trigger('click')
      await flushPromises()
      expect(router.currentRoute.value.query).toEqual({ sort: 'name' })
      expect(labels(wrapper)).toHaveLength(4)
      wrapper.unmount()
    })

    it('"Show them" filters to what needs attention', async () => {
      const wrapper = await mountView('owner', { accounts: list() })
      await wrapper.get('[data-testid="attention-count"] button').trigger('click')
      await flushPromises()
      expect(labels(wrapper)).toEqual(['Hetzner 2'])
      wrapper.unmount()
    })

    it('groups by provider under headings', async () => {
      const wrapper = await mountView('owner', { accounts: list(), query: '?group=1' })
      expect(wrapper.findAll('[data-testid="account-group"]').map((g) => g.text())).toEqual([
        'Hetzner Cloud (3)',
        'Vultr (1)',
      ])
      expect(wrapper.findAll('h4.row__label')).toHaveLength(4)
      wrapper.unmount()
    })

    it('"Default" is shown, explained, and offered only where a provider has several accounts', async () => {
      const wrapper = await mountView('owner', { accounts: list() })
      const markers = wrapper.findAll('[data-testid="default-marker"]')
      expect(markers.map((m) => m.text())).toEqual(['Default for Hetzner Cloud'])
      expect(wrapper.get('[data-testid="default-help"]').text()).toContain(
        'the one your platform uses',
      )
      const vultrRow = wrapper.get(`[data-account-id="${vultr.id}"]`)
      expect(vultrRow.text()).not.toContain('Set as default')
      const hetzner3 = wrapper.get(`[data-account-id="${hetzner(3).id}"]`)
      expect(hetzner3.text()).toContain('Set as default')
      wrapper.unmount()
    })

    it('says when nothing matches, with a way back', async () => {
      const wrapper = await mountView('owner', { accounts: list(), query: '?q=nothing' })
      expect(wrapper.get('[data-testid="no-match"]').text()).toContain('No account matches')
      await wrapper.get('[data-testid="no-match"] button').trigger('click')
      await flushPromises()
      expect(labels(wrapper)).toHaveLength(4)
      wrapper.unmount()
    })
  })

  describe('act where you are', () => {
    it('the connect panel has an address of its own', async () => {
      const wrapper = await mountView('owner', {
        accounts: [makeAccount()],
        query: 'connect/vultr',
      })
      const panel = wrapper.get('[data-testid="connect-panel"]')
      expect(panel.attributes('data-provider')).toBe('vultr')
      expect(panel.get('h2').text()).toBe('Connect Vultr')
      wrapper.unmount()
    })

    it('a member sent to the connect address is told that only owners connect', async () => {
      const wrapper = await mountView('member', {
        accounts: [makeAccount()],
        query: 'connect/vultr',
      })
      expect(wrapper.get('[data-testid="owner-only"]').text()).toContain(
        'Only workspace owners can connect cloud accounts',
      )
      expect(wrapper.find('[data-testid="connect-panel"]').exists()).toBe(false)
      wrapper.unmount()
    })

    it('an unknown provider in the address says so', async () => {
      const wrapper = await mountView('owner', { accounts: [makeAccount()], query: 'connect/nope' })
      expect(wrapper.get('[data-testid="unknown-provider"]').text()).toContain('"nope"')
      wrapper.unmount()
    })

    it('reconnect opens inside its card, and the outcome is said there', async () => {
      const other = makeAccount({ id: '00000000-0000-4000-8000-0000000000aa', label: 'Other' })
      const wrapper = await mountView('owner', { accounts: [makeAccount(), other] })
      const store = useCloudAccountsStore()
      vi.mocked(store.reconnect).mockResolvedValue(makeAccount())
      const card = () => wrapper.get(`[data-account-id="${makeAccount().id}"]`)
      await card().get('[data-action="reconnect"]').trigger('click')
      expect(card().find('[data-testid="connect-panel"]').exists()).toBe(true)
      expect(
        wrapper
          .get(`[data-account-id="${other.id}"]`)
          .find('[data-testid="connect-panel"]')
          .exists(),
      ).toBe(false)
      await card().get('input[name="token"]').setValue(VALID_TOKEN)
      await card().get('form').trigger('submit')
      await flushPromises()
      expect(store.reconnect).toHaveBeenCalledWith(
        makeAccount().id,
        { credentials: { token: VALID_TOKEN } },
        expect.any(AbortSignal),
      )
      expect(store.notify).toHaveBeenCalledWith(makeAccount().id, {
        tone: 'success',
        text: 'Production was reconnected.',
      })
      expect(card().find('[data-testid="connect-panel"]').exists()).toBe(false)
      wrapper.unmount()
    })
  })
})
