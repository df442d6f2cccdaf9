import { describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import type { Router } from 'vue-router'
import { useCloudAccountsStore } from '@/stores/cloud-accounts'
import { mountView } from './cloud-accounts-view.test-helper'
import { VALID_TOKEN, makeAccount } from '@/test/fixtures'

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
    expect(wrapper.get('[data-testid="filter-count"]').text()).toContain('Showing 3 of 4 accounts')
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
      wrapper.get(`[data-account-id="${other.id}"]`).find('[data-testid="connect-panel"]').exists(),
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
    // What the new credential may do follows, in the same card, under the card's own heading.
    const summary = card().get('[data-testid="access-summary"]')
    expect(summary.get('h4').text()).toBe('What Production may do')
    await summary.get('button.btn--primary').trigger('click')
    await flushPromises()
    expect(card().find('[data-testid="access-summary"]').exists()).toBe(false)
    expect(document.activeElement).toBe(card().get('[data-action="reconnect"]').element)
    wrapper.unmount()
  })
})
