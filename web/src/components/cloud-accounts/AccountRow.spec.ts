import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import type { AccountStatus } from '@cloudlink/shared'
import AccountRow from './AccountRow.vue'
import { ApiError } from '@/api/client'
import { makeAccount, makeServer } from '@/test/fixtures'

const mountRow = (props: Record<string, unknown> = {}) =>
  mount(AccountRow, {
    props: { account: makeAccount(), providerName: 'Hetzner Cloud', canManage: true, ...props },
  })

describe('AccountRow', () => {
  it.each<[AccountStatus, string, string | null]>([
    ['connected', 'Connected', null],
    ['needs_attention', 'Needs attention', 'The provider rejected the token (401)'],
    ['expired', 'Expired', 'OAuth refresh token expired'],
  ])('shows %s with its reason', (status, text, reason) => {
    const wrapper = mountRow({ account: makeAccount({ status, statusReason: reason }) })
    const row = wrapper.get('[data-testid="account-row"]')
    expect(row.attributes('data-status')).toBe(status)
    expect(wrapper.get('[data-testid="status-badge"]').text()).toBe(text)
    if (reason) expect(wrapper.get('[data-testid="status-reason"]').text()).toBe(reason)
    else expect(wrapper.find('[data-testid="status-reason"]').exists()).toBe(false)
    const reconnect = wrapper.findAll('button').find((b) => b.text() === 'Reconnect')!
    expect(reconnect.classes('btn--primary')).toBe(status !== 'connected')
  })

  it('shows label, provider, masked hint, relative last check, servers, capabilities, default', () => {
    const wrapper = mountRow({
      account: makeAccount({ isDefault: true, capabilities: ['compute', 'dns'] }),
    })
    expect(wrapper.get('h3').text()).toContain('Production')
    expect(wrapper.text()).toContain('Hetzner Cloud')
    expect(wrapper.get('[data-testid="hint"]').text()).toBe('LRK9••••CSDfj')
    expect(wrapper.get('[data-testid="last-checked"]').text()).toBe('3 h ago')
    expect(wrapper.get('[data-testid="servers-toggle"]').text()).toBe('2 servers')
    expect(wrapper.text()).toContain('Compute')
    expect(wrapper.text()).toContain('DNS')
    expect(wrapper.find('[data-testid="default-marker"]').exists()).toBe(true)
    expect(wrapper.findAll('button').some((b) => b.text() === 'Set as default')).toBe(false)
  })

  it('warns when the account is stale and lists warnings', () => {
    const wrapper = mountRow({
      account: makeAccount({
        stale: true,
        lastHealthyAt: new Date(Date.now() - 4 * 86400_000).toISOString(),
        warnings: ['Token is read-only: servers cannot be ordered'],
      }),
    })
    expect(wrapper.get('[data-testid="stale-warning"]').text()).toContain(
      'No successful check since 4 days ago',
    )
    expect(wrapper.text()).toContain('Token is read-only')
  })

  it('expands the server list and asks for it to be loaded', async () => {
    const wrapper = mountRow()
    const toggle = wrapper.get('[data-testid="servers-toggle"]')
    expect(toggle.attributes('aria-expanded')).toBe('false')
    await toggle.trigger('click')
    expect(toggle.attributes('aria-expanded')).toBe('true')
    expect(wrapper.emitted('load-servers')).toEqual([[false]])
    await wrapper.setProps({
      servers: { items: [makeServer()], note: null, loaded: true, loading: false, error: null },
    })
    expect(wrapper.get('[data-testid="server-list"]').text()).toContain('web-1')
  })

  it('emits each owner action', async () => {
    const wrapper = mountRow()
    for (const [text, event] of [
      ['Recheck', 'recheck'],
      ['Reconnect', 'reconnect'],
      ['Edit', 'edit'],
      ['Set as default', 'set-default'],
      ['Remove', 'remove'],
    ] as const) {
      await wrapper
        .findAll('button')
        .find((b) => b.text() === text)!
        .trigger('click')
      expect(wrapper.emitted(event)).toHaveLength(1)
    }
  })

  it('shows "Checking…" in the same badge while a recheck runs, and the row error after', async () => {
    const wrapper = mountRow({ pending: 'recheck' })
    expect(wrapper.get('[data-testid="status-badge"]').text()).toBe('Checking…')
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Recheck')!
      .trigger('click')
    expect(wrapper.emitted('recheck')).toBeUndefined()
    await wrapper.setProps({
      pending: null,
      error: new ApiError({ status: 502, code: 'PROVIDER_UNREACHABLE', message: 'timeout' }),
    })
    expect(wrapper.get('[data-testid="error-alert"]').text()).toContain(
      "Couldn't reach the provider",
    )
  })

  it('has no controls for members', () => {
    const wrapper = mountRow({ canManage: false })
    expect(wrapper.find('[data-testid="account-actions"]').exists()).toBe(false)
    expect(wrapper.findAll('button').map((b) => b.text())).toEqual(['2 servers'])
  })

  describe('a last check that could not reach the provider', () => {
    const hour = 3600_000
    const unreachableAccount = () =>
      makeAccount({
        provider: 'vultr',
        status: 'connected',
        lastCheckedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
        lastHealthyAt: new Date(Date.now() - 2 * hour).toISOString(),
        lastCheck: {
          outcome: 'unreachable',
          at: new Date(Date.now() - 5 * 60_000).toISOString(),
          message: 'Vultr answered with a server error (HTTP 503)',
          latencyMs: 40,
        },
      })

    it('keeps the status but says the check failed, why, and when it last worked', () => {
      const wrapper = mountRow({ account: unreachableAccount(), providerName: 'Vultr' })
      expect(wrapper.get('[data-testid="status-badge"]').text()).toBe('Connected')
      expect(wrapper.get('[data-testid="unconfirmed"]').text()).toBe(
        'Not confirmed on the last check',
      )
      const alert = wrapper.get('[data-testid="unreachable-check"]').text()
      expect(alert).toContain("Couldn't reach Vultr on the last check (5 min ago)")
      expect(alert).toContain('Vultr answered with a server error (HTTP 503)')
      expect(alert).toContain('Last confirmed working 2 h ago.')
      expect(wrapper.get('[data-testid="last-checked"]').text()).toBe('5 min ago')
      expect(wrapper.get('[data-testid="last-check-outcome"]').text()).toBe(
        ", couldn't reach Vultr",
      )
    })

    it('says so when the account was never confirmed working', () => {
      const wrapper = mountRow({
        account: { ...unreachableAccount(), lastHealthyAt: null },
        providerName: 'Vultr',
      })
      expect(wrapper.get('[data-testid="unreachable-check"]').text()).toContain(
        'Never confirmed working yet.',
      )
    })

    it('a check that worked shows no warning', () => {
      const wrapper = mountRow()
      expect(wrapper.find('[data-testid="unreachable-check"]').exists()).toBe(false)
      expect(wrapper.find('[data-testid="unconfirmed"]').exists()).toBe(false)
      expect(wrapper.get('[data-testid="last-check-outcome"]').text()).toBe(', worked')
    })
  })

  it('shows the notice of the last action at the card, and dismisses it', async () => {
    const wrapper = mountRow({
      notice: { tone: 'success', text: 'Production was checked just now: the credential works.' },
    })
    const notice = wrapper.get('[data-testid="row-notice"]')
    expect(notice.text()).toContain('the credential works')
    expect(notice.element.closest('[role="status"]')).not.toBeNull()
    await notice.get('button').trigger('click')
    expect(wrapper.emitted('dismiss')).toHaveLength(1)
  })

  it('keeps an error at the card until it is dismissed', async () => {
    const wrapper = mountRow({
      error: new ApiError({ status: 500, code: 'INTERNAL', message: 'x', requestId: 'req-1' }),
    })
    const box = wrapper.get('[data-testid="row-error"]')
    await box
      .findAll('button')
      .find((b) => b.text() === 'Dismiss')!
      .trigger('click')
    expect(wrapper.emitted('dismiss')).toHaveLength(1)
  })

  it('names a provider account once when its name is its email (Google)', () => {
    const wrapper = mountRow({
      account: makeAccount({
        provider: 'gcp',
        identity: { id: '1098', name: 'ops@acme.example', email: 'ops@acme.example' },
      }),
      providerName: 'Google Cloud',
    })
    expect(wrapper.get('.row__provider').text()).toBe('Google Cloud · ops@acme.example')
  })
})
