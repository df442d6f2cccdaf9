import { describe, expect, it } from 'vitest'
import { checkField, collectCredentials, compilePattern } from './credential-fields'
import { makeProvider } from '@/test/fixtures'

const [token] = makeProvider().fields

describe('credential fields', () => {
  it('checks required and pattern, ignoring stray whitespace', () => {
    expect(checkField(token!, '')).toBe('missing')
    expect(checkField(token!, 'short')).toBe('format')
    expect(checkField(token!, ` ${'x'.repeat(64)}\n`)).toBe('ok')
    expect(checkField({ ...token!, required: false }, '')).toBe('empty')
  })

  it('never blocks on a pattern it cannot compile', () => {
    expect(compilePattern('([')).toBeNull()
    expect(checkField({ ...token!, pattern: '([' }, 'anything')).toBe('ok')
  })

  it('omits empty optional fields and trims values', () => {
    const fields = [token!, { ...token!, name: 'consumerKey', required: false }]
    expect(collectCredentials(fields, { token: ' abc ', consumerKey: '' })).toEqual({
      token: 'abc',
    })
  })
})
