import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ProviderErrorAlert from './ProviderErrorAlert.vue'
import { ApiError } from '@/api/client'

const mismatch = (details: unknown) =>
  new ApiError({
    status: 409,
    code: 'ACCOUNT_MISMATCH',
    message: 'This credential belongs to a different account',
    details,
  })

describe('ProviderErrorAlert', () => {
  it('ACCOUNT_MISMATCH names the connected and the presented account', () => {
    const wrapper = mount(ProviderErrorAlert, {
      props: {
        error: mismatch({
          connected: { id: '1', name: 'Acme Prod', email: 'ops@acme.example' },
          presented: { id: '2', email: 'dev@acme.example' },
        }),
        providerName: 'Hetzner Cloud',
        mode: 'reconnect',
        label: 'Production',
      },
    })
    expect(wrapper.get('[data-testid="mismatch-identities"]').text()).toBe(
      '"Production" is connected to Acme Prod (ops@acme.example); the credential you pasted belongs to dev@acme.example.',
    )
  })

  it('an identity known only by id is named by it', () => {
    const wrapper = mount(ProviderErrorAlert, {
      props: {
        error: mismatch({ connected: { id: '111' }, presented: { id: '222', name: '' } }),
        providerName: 'AWS',
        mode: 'reconnect',
        label: 'Main',
      },
    })
    expect(wrapper.get('[data-testid="mismatch-identities"]').text()).toBe(
      '"Main" is connected to account 111; the credential you pasted belongs to account 222.',
    )
  })

  it('without identities, the server message stands', () => {
    const wrapper = mount(ProviderErrorAlert, {
      props: { error: mismatch(undefined), providerName: 'AWS', mode: 'reconnect', label: 'Main' },
    })
    expect(wrapper.get('[data-testid="mismatch-identities"]').text()).toBe(
      'This credential belongs to a different account',
    )
  })
})
