import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import TokenTable from './TokenTable.vue'
import { ACCOUNT_ID, makeApiToken } from '@/test/fixtures'

const hour = 3600_000
const ago = (ms: number) => new Date(Date.now() - ms).toISOString()
const ahead = (ms: number) => new Date(Date.now() + ms).toISOString()
const labels = new Map([[ACCOUNT_ID, 'Production']])

const mountTable = (tokens = [makeApiToken()]) =>
  mount(TokenTable, { props: { tokens, accountLabels: labels } })

describe('TokenTable', () => {
  it('shows when and from where a token was last used, or that it never was', () => {
    const used = makeApiToken({ lastUsedAt: ago(3 * hour), lastUsedIp: '203.0.113.7' })
    const unused = makeApiToken({ id: '99999999-9999-4999-8999-999999999999', name: 'CI' })
    const wrapper = mountTable([used, unused])
    const [first, second] = wrapper.findAll('[data-testid="token-last-used"]')
    expect(first!.text()).toContain('3 h ago')
    expect(first!.text()).toContain('from 203.0.113.7')
    expect(first!.get('time').attributes('datetime')).toBe(used.lastUsedAt)
    expect(second!.text()).toBe('Never used')
  })

  it('lists name, hint, scopes, read-only, accounts by name and who created it', () => {
    const gone = '24242424-2424-4424-8424-242424242424'
    const wrapper = mountTable([
      makeApiToken({ readOnly: true, scopes: ['accounts:read', 'accounts:use'] }),
      makeApiToken({ id: '99999999-9999-4999-8999-999999999999', accountIds: [ACCOUNT_ID, gone] }),
    ])
    const [first, second] = wrapper.findAll('[data-testid="token-row"]')
    expect(first!.text()).toContain('Platform backend')
    expect(first!.text()).toContain('clk_••••9xYz')
    expect(first!.findAll('.chip').map((c) => c.text())).toEqual([
      'accounts:read',
      'accounts:use',
      'Read-only',
    ])
    expect(first!.get('[data-testid="token-accounts"]').text()).toBe('All accounts')
    expect(first!.text()).toContain('Ada')
    expect(second!.get('[data-testid="token-accounts"]').text()).toBe('Production, Removed account')
    expect(second!.find('.chip--primary').exists()).toBe(false)
  })

  it('says when a token expires, and flags one about to expire or expired', () => {
    const wrapper = mountTable([
      makeApiToken({ expiresAt: ahead(60 * 24 * hour) }),
      makeApiToken({ id: '91919191-9191-4191-8191-919191919191', expiresAt: ahead(3 * 24 * hour) }),
      makeApiToken({ id: '92929292-9292-4292-8292-929292929292', expiresAt: ago(2 * 24 * hour) }),
    ])
    const cells = wrapper.findAll('[data-testid="token-expires"]')
    expect(cells.map((c) => c.attributes('data-expiry'))).toEqual(['ok', 'soon', 'expired'])
    expect(cells[0]!.text()).toBe('in 60 days')
    expect(cells[1]!.text()).toContain('in 3 days')
    expect(cells[1]!.text()).toContain('Expires soon')
    expect(cells[2]!.text()).toContain('2 days ago')
    expect(cells[2]!.text()).toContain('Expired')
  })

  it('asks the parent to revoke, with a button named for the token', async () => {
    const token = makeApiToken()
    const wrapper = mountTable([token])
    const button = wrapper.get('button[aria-label="Revoke Platform backend"]')
    expect(button.attributes('aria-haspopup')).toBe('dialog')
    await button.trigger('click')
    expect(wrapper.emitted('revoke')).toEqual([[token]])
  })
})
