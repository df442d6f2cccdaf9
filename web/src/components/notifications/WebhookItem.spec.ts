import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import WebhookItem from './WebhookItem.vue'
import { makeDelivery, makeWebhook } from '@/test/fixtures'

describe('WebhookItem', () => {
  it('shows where it goes, what it gets and offers the controls', async () => {
    const wrapper = mount(WebhookItem, { props: { webhook: makeWebhook() } })
    expect(wrapper.text()).toContain('https://hooks.example.com/cloudlink')
    expect(wrapper.text()).toContain('Account needs attention')
    expect(wrapper.get('[data-testid="webhook-state"]').text()).toBe('On')
    await wrapper.get('[data-testid="webhook-test"]').trigger('click')
    await wrapper.get('[data-testid="webhook-toggle"]').trigger('click')
    await wrapper.get('[data-testid="webhook-remove"]').trigger('click')
    expect(wrapper.emitted('test')).toHaveLength(1)
    expect(wrapper.emitted('toggle')?.[0]).toEqual([false])
    expect(wrapper.emitted('remove')).toHaveLength(1)
    expect(wrapper.get('[data-testid="webhook-toggle"]').attributes('aria-label')).toBe(
      'Turn off https://hooks.example.com/cloudlink',
    )
  })

  it('says why Cloudlink turned it off', () => {
    const wrapper = mount(WebhookItem, {
      props: {
        webhook: makeWebhook({
          enabled: false,
          disabledReason: 'Turned off after 24 hours of failed deliveries (last: timed out)',
        }),
      },
    })
    expect(wrapper.get('[data-testid="webhook-state"]').text()).toBe('Off')
    expect(wrapper.get('[data-testid="webhook-disabled-reason"]').text()).toContain('24 hours')
    expect(wrapper.get('[data-testid="webhook-toggle"]').text()).toBe('Turn on')
  })

  it('opens the delivery log, asks for it and lists every attempt', async () => {
    const wrapper = mount(WebhookItem, { props: { webhook: makeWebhook() } })
    const toggle = wrapper.get('[data-testid="webhook-log-toggle"]')
    await toggle.trigger('click')
    expect(wrapper.emitted('load-log')).toHaveLength(1)
    expect(toggle.attributes('aria-expanded')).toBe('true')
    await wrapper.setProps({
      deliveries: [
        makeDelivery({ attempt: 2 }),
        makeDelivery({ status: 'failed', responseStatus: 500, error: 'receiver answered 500' }),
      ],
    })
    const rows = wrapper.findAll('[data-testid="delivery"]')
    expect(rows).toHaveLength(2)
    expect(rows[0]?.text()).toContain('Delivered')
    expect(rows[1]?.text()).toContain('receiver answered 500')
    expect(rows[1]?.attributes('data-status')).toBe('failed')
  })
})
