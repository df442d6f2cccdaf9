import { describe, expect, it } from 'vitest'
import { errorText, t } from './index'

describe('locales', () => {
  it('fills placeholders and picks plurals by count', () => {
    expect(t('account.servers', { count: 1 })).toBe('1 server')
    expect(t('account.servers', { count: 3 })).toBe('3 servers')
    expect(t('connect.titleConnect', { provider: 'Vultr' })).toBe('Connect Vultr')
  })

  it('finds keys that contain dots themselves (audit actions)', () => {
    expect(t('audit.actions.member.invite')).toBe('Invited someone')
    expect(t('audit.actions.account.connect')).toBe('Connected an account')
  })

  it('translates error codes, with a generic fallback', () => {
    expect(errorText('PROVIDER_UNREACHABLE')).toBe("Couldn't reach the provider.")
    expect(errorText('SOMETHING_NEW')).toBe('Something went wrong.')
  })
})
