import { describe, expect, it } from 'vitest'
import { ErrorCode, FAILURE_REASONS } from '@cloudlink/shared'
import { errorSentence, errorText, t } from './index'
import { en } from './en'

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
    expect(errorText('PROVIDER_UNREACHABLE')).toMatch(/^Couldn't reach the provider/)
    expect(errorText('SOMETHING_NEW')).toBe(en.errors.UNKNOWN)
  })

  // The types check this too (`satisfies Record<…>`); this guards against empty or placeholder text.
  it.each(Object.values(ErrorCode))('error code %s has a sentence of its own', (code) => {
    const sentence = errorText(code)
    expect(sentence).not.toBe(en.errors.UNKNOWN)
    expect(sentence).toMatch(/^[A-Z].{10,}[.!]$/)
  })

  it.each(FAILURE_REASONS)('failure reason %s has a sentence that says what to do', (reason) => {
    const sentence = errorSentence({ code: 'CONFLICT', details: { reason, label: 'Prod' } })
    expect(sentence).not.toBe(en.errors.CONFLICT)
    expect(sentence).not.toContain('{')
    expect(sentence.split('. ').length).toBeGreaterThan(1)
  })

  it('a reason the SPA does not know falls back to the code', () => {
    expect(errorSentence({ code: 'CONFLICT', details: { reason: 'brand_new' } })).toBe(
      en.errors.CONFLICT,
    )
    expect(errorSentence({ code: 'CONFLICT', details: [{ field: 'x' }] })).toBe(en.errors.CONFLICT)
  })

  it('a duplicate credential names the account it is connected as', () => {
    expect(
      errorSentence({
        code: 'CONFLICT',
        details: { reason: 'duplicate_credential', label: 'Prod' },
      }),
    ).toContain('already connected as "Prod"')
  })
})
