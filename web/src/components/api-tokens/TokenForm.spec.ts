import { describe, expect, it } from 'vitest'
import { mount, type VueWrapper } from '@vue/test-utils'
import TokenForm from './TokenForm.vue'
import { ApiError } from '@/api/client'
import { ACCOUNT_ID, makeAccount } from '@/test/fixtures'

const staging = makeAccount({ id: '23232323-2323-4323-8323-232323232323', label: 'Staging' })
const accounts = [makeAccount(), staging]

/** The input a person finds by its label, as the browser tests do. */
function byLabel(wrapper: VueWrapper, text: string) {
  const label = wrapper.findAll('label').find((l) => l.text().trim().startsWith(text))
  if (!label) throw new Error(`no label "${text}"`)
  return wrapper.get(`[id="${label.attributes('for')}"]`)
}

/** The error text tied to a control or group through aria-describedby. */
function describedError(wrapper: VueWrapper, selector: string): string {
  const ids = wrapper.get(selector).attributes('aria-describedby')?.split(' ') ?? []
  return ids
    .map((id) => wrapper.find(`[id="${id}"].field__error`))
    .filter((el) => el.exists())
    .map((el) => el.text())
    .join(' ')
}

describe('TokenForm', () => {
  it('sends name, scopes in contract order, chosen accounts, read-only and expiry', async () => {
    const wrapper = mount(TokenForm, { props: { accounts } })
    await byLabel(wrapper, 'Name').setValue('  Platform backend ')
    await byLabel(wrapper, 'accounts:use').setValue(true)
    await byLabel(wrapper, 'accounts:read').setValue(true)
    await byLabel(wrapper, 'Only the accounts chosen here').setValue(true)
    await byLabel(wrapper, 'Staging').setValue(true)
    await byLabel(wrapper, 'Read-only').setValue(true)
    await byLabel(wrapper, 'Expires after (days)').setValue('30')
    await wrapper.get('form').trigger('submit')
    expect(wrapper.emitted('create')).toEqual([
      [
        {
          name: 'Platform backend',
          scopes: ['accounts:read', 'accounts:use'],
          accountIds: [staging.id],
          readOnly: true,
          expiresInDays: 30,
        },
      ],
    ])
  })

  it('defaults to every account, not read-only, 90 days', async () => {
    const wrapper = mount(TokenForm, { props: { accounts } })
    expect((byLabel(wrapper, 'Expires after (days)').element as HTMLInputElement).value).toBe('90')
    await byLabel(wrapper, 'Name').setValue('CI')
    await byLabel(wrapper, 'accounts:manage').setValue(true)
    await wrapper.get('form').trigger('submit')
    expect(wrapper.emitted('create')?.[0]).toEqual([
      { name: 'CI', scopes: ['accounts:manage'], expiresInDays: 90 },
    ])
  })

  it('explains every scope in one line', () => {
    const wrapper = mount(TokenForm, { props: { accounts } })
    expect(describedHelp(wrapper, 'accounts:use')).toContain('through the broker')
    expect(describedHelp(wrapper, 'accounts:read')).toContain('servers and health checks')
    expect(describedHelp(wrapper, 'accounts:manage')).toContain('remove cloud accounts')
  })

  it('checks each field before sending, says what is wrong next to it and focuses the first', async () => {
    const wrapper = mount(TokenForm, { props: { accounts }, attachTo: document.body })
    await byLabel(wrapper, 'Only the accounts chosen here').setValue(true)
    await byLabel(wrapper, 'Expires after (days)').setValue('400')
    await wrapper.get('form').trigger('submit')
    expect(wrapper.emitted('create')).toBeUndefined()
    const name = byLabel(wrapper, 'Name')
    expect(name.attributes('aria-invalid')).toBe('true')
    expect(describedError(wrapper, `[id="${name.attributes('id')}"]`)).toBe('Name is required.')
    expect(document.activeElement).toBe(name.element)
    expect(describedError(wrapper, '[data-field="scopes"]')).toBe('Choose at least one scope.')
    expect(describedError(wrapper, '[data-field="accountIds"]')).toBe(
      'Choose at least one account.',
    )
    const days = byLabel(wrapper, 'Expires after (days)')
    expect(days.attributes('aria-invalid')).toBe('true')
    expect(describedError(wrapper, `[id="${days.attributes('id')}"]`)).toBe(
      'Enter a whole number of days from 1 to 365.',
    )

    for (const bad of ['0', '1.5', '']) {
      await days.setValue(bad)
      expect(describedError(wrapper, `[id="${days.attributes('id')}"]`)).not.toBe('')
    }
    await days.setValue('365')
    expect(days.attributes('aria-invalid')).toBe('false')
    wrapper.unmount()
  })

  it('refuses a read-only token that could do nothing (accounts:manage alone)', async () => {
    const wrapper = mount(TokenForm, { props: { accounts } })
    await byLabel(wrapper, 'Name').setValue('Watcher')
    await byLabel(wrapper, 'accounts:manage').setValue(true)
    const readOnly = byLabel(wrapper, 'Read-only')
    await readOnly.setValue(true)
    await wrapper.get('form').trigger('submit')
    expect(wrapper.emitted('create')).toBeUndefined()
    expect(describedError(wrapper, `[id="${readOnly.attributes('id')}"]`)).toBe(
      'A read-only token needs accounts:read or accounts:use.',
    )
    await byLabel(wrapper, 'accounts:read').setValue(true)
    await wrapper.get('form').trigger('submit')
    expect(wrapper.emitted('create')?.[0]?.[0]).toMatchObject({
      scopes: ['accounts:read', 'accounts:manage'],
      readOnly: true,
    })
  })

  it("shows the server's VALIDATION_FAILED details at their fields, the rest in the alert", async () => {
    const error = new ApiError({
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'name: must NOT have more than 100 characters',
      requestId: 'req-9',
      details: [
        { field: 'name', message: 'must NOT have more than 100 characters' },
        { field: 'accountIds.0', message: 'is not an account of this workspace' },
        { field: 'body', message: 'something about the whole body' },
      ],
    })
    const wrapper = mount(TokenForm, { props: { accounts, error } })
    const name = byLabel(wrapper, 'Name')
    expect(name.attributes('aria-invalid')).toBe('true')
    expect(describedError(wrapper, `[id="${name.attributes('id')}"]`)).toBe(
      'must NOT have more than 100 characters',
    )
    expect(describedError(wrapper, '[data-field="accountIds"]')).toBe(
      'is not an account of this workspace',
    )
    const alert = wrapper.get('[role="alert"]')
    expect(alert.text()).toContain('Some fields need another look.')
    expect(alert.text()).toContain('something about the whole body')
    expect(alert.text()).not.toContain('100 characters')
  })

  it('shows other refusals with their sentence from the locale', () => {
    const error = new ApiError({ status: 403, code: 'REAUTH_REQUIRED', message: 'Reauth' })
    const wrapper = mount(TokenForm, { props: { accounts, error } })
    expect(wrapper.get('[role="alert"]').text()).toContain('Confirm your password to continue.')
  })

  it('offers no account choice while none is connected', () => {
    const wrapper = mount(TokenForm, { props: { accounts: [] } })
    expect(byLabel(wrapper, 'Only the accounts chosen here').attributes('disabled')).toBeDefined()
    expect(wrapper.text()).toContain('No cloud accounts are connected yet.')
    expect(wrapper.find(`[value="${ACCOUNT_ID}"]`).exists()).toBe(false)
  })
})

function describedHelp(wrapper: VueWrapper, scope: string): string {
  const ids = byLabel(wrapper, scope).attributes('aria-describedby')?.split(' ') ?? []
  return ids.map((id) => wrapper.get(`[id="${id}"]`).text()).join(' ')
}
