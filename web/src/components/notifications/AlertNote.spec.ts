import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import AlertNote from './AlertNote.vue'
import { ACCOUNT_ID } from '@/test/fixtures'

const ago = (ms: number) => new Date(Date.now() - ms).toISOString()

describe('AlertNote', () => {
  it('names the owners who were emailed and when', () => {
    const wrapper = mount(AlertNote, {
      props: {
        alert: {
          accountId: ACCOUNT_ID,
          event: 'account.needs_attention',
          at: ago(3 * 3600_000),
          told: [{ user: { id: 'u1', name: 'Ada' }, at: ago(2 * 3600_000) }],
          webhookDeliveredAt: ago(3 * 3600_000),
        },
      },
    })
    expect(wrapper.text()).toContain('Owners told: Ada (2 h ago)')
    expect(wrapper.text()).toContain('Webhook delivered 3 h ago')
  })

  it('says so when nobody was told yet', () => {
    const wrapper = mount(AlertNote, { props: { alert: null } })
    expect(wrapper.text()).toBe('No owner has been emailed about this yet.')
  })
})
