import { describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { useCloudAccountsStore } from '@/stores/cloud-accounts'
import { WS, VALID_TOKEN, makeAccount, makeProvider } from '@/test/fixtures'
import { mountView } from './cloud-accounts-view.test-helper'

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

  it('after a connect, shows what the credential may do and what to add', async () => {
    const wrapper = await mountView('owner')
    const store = useCloudAccountsStore()
    const at = new Date().toISOString()
    vi.mocked(store.connect).mockResolvedValue(
      makeAccount({
        label: 'Prod',
        capabilities: ['compute', 'storage'],
        access: {
          compute: {
            level: 'read',
            missing: ['Read & Write'],
            evidence: 'token type',
            checkedAt: at,
          },
          storage: { level: 'write', missing: [], evidence: 'listing', checkedAt: at },
        },
      }),
    )
    await wrapper.get('[data-testid="provider-grid"] button').trigger('click')
    await flushPromises()
    await wrapper.get('input[name="label"]').setValue('Prod')
    await wrapper.get('input[name="token"]').setValue(VALID_TOKEN)
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    const summary = wrapper.get('[data-testid="access-summary"]')
    expect(summary.text()).toContain('Compute: read only — add Read & Write')
    expect(summary.text()).toContain('Can create storage buckets ✓')
    expect(summary.find('[data-testid="console-link"]').exists()).toBe(true)
    await summary.get('button.btn--primary').trigger('click')
    expect(wrapper.find('[data-testid="access-summary"]').exists()).toBe(false)
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
})
