import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import RemoveAccountDialog from './RemoveAccountDialog.vue'
import { makeAccount, makeServer } from '@/test/fixtures'

const servers = {
  items: [
    makeServer(),
    makeServer({ id: '55555555-5555-4555-8555-555555555555', name: 'db-1', status: 'off' }),
  ],
  note: null,
  loaded: true,
  loading: false,
  error: null,
}

describe('RemoveAccountDialog', () => {
  it('lists the servers first and says running servers keep running', () => {
    const wrapper = mount(RemoveAccountDialog, { props: { account: makeAccount(), servers } })
    expect(wrapper.get('[role="dialog"]').attributes('aria-modal')).toBe('true')
    expect(wrapper.get('h2').text()).toBe('Remove Production?')
    expect(wrapper.text()).toContain('These 2 servers were created with this account')
    const items = wrapper.findAll('[data-testid="remove-servers"] li').map((li) => li.text())
    expect(items[0]).toContain('web-1')
    expect(items[1]).toContain('db-1')
    expect(wrapper.get('[data-testid="keep-running"]').text()).toContain(
      'Running servers keep running',
    )
  })

  it('shows a loading state until the servers arrive', () => {
    const wrapper = mount(RemoveAccountDialog, { props: { account: makeAccount(), servers: null } })
    expect(wrapper.text()).toContain('Loading servers…')
  })

  it('emits confirm, and cancel on Escape', async () => {
    const wrapper = mount(RemoveAccountDialog, {
      props: { account: makeAccount(), servers },
      attachTo: document.body,
    })
    await wrapper.get('[data-testid="confirm-remove"]').trigger('click')
    expect(wrapper.emitted('confirm')).toHaveLength(1)
    await wrapper.get('[role="dialog"]').trigger('keydown', { key: 'Escape' })
    expect(wrapper.emitted('cancel')).toHaveLength(1)
    wrapper.unmount()
  })

  it('does not confirm twice while removing', async () => {
    const wrapper = mount(RemoveAccountDialog, {
      props: { account: makeAccount(), servers, busy: true },
    })
    await wrapper.get('[data-testid="confirm-remove"]').trigger('click')
    expect(wrapper.emitted('confirm')).toBeUndefined()
    expect(wrapper.get('[data-testid="confirm-remove"]').text()).toBe('Removing…')
  })
})
