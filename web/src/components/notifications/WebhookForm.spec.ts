import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import WebhookForm from './WebhookForm.vue'

describe('WebhookForm', () => {
  it('sends the URL, description and the events picked (every event by default)', async () => {
    const wrapper = mount(WebhookForm)
    await wrapper.get('input[type="url"]').setValue(' https://hooks.example.com/x ')
    await wrapper.get('input[type="text"]').setValue('Pager')
    await wrapper.get('input[value="account.recovered"]').setValue(false)
    await wrapper.get('form').trigger('submit')
    expect(wrapper.emitted('create')?.[0]).toEqual([
      {
        url: 'https://hooks.example.com/x',
        events: ['account.needs_attention', 'account.expired', 'account.stale', 'token.expiring'],
        description: 'Pager',
      },
    ])
  })

  it('cannot add a webhook without any event', async () => {
    const wrapper = mount(WebhookForm)
    for (const box of wrapper.findAll('input[type="checkbox"]')) await box.setValue(false)
    expect(wrapper.get('[data-testid="webhook-add"]').attributes('disabled')).toBeDefined()
    await wrapper.get('input[type="url"]').setValue('https://hooks.example.com/x')
    await wrapper.get('form').trigger('submit')
    expect(wrapper.emitted('create')).toBeUndefined()
  })
})
