import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createTestingPinia } from '@pinia/testing'
import NotificationsView from './NotificationsView.vue'
import { mockApi } from '@/test/api-mock'
import { WEBHOOK_ID, WS, makeDelivery, makeWebhook } from '@/test/fixtures'

const base = `/api/v1/workspaces/${WS}`
const SECRET = `whsec_${'Q'.repeat(43)}=`

function mountView(role: 'owner' | 'member') {
  const pinia = createTestingPinia({
    createSpy: vi.fn,
    stubActions: false,
    initialState: {
      session: {
        user: { id: 'u1', email: 'ada@example.com', name: 'Ada' },
        workspaces: [{ id: WS, name: 'Acme', role }],
        currentWorkspaceId: WS,
      },
    },
  })
  return mount(NotificationsView, { global: { plugins: [pinia] }, attachTo: document.body })
}

afterEach(() => vi.unstubAllGlobals())

describe('NotificationsView', () => {
  it('members are told only owners manage notifications, and nothing is asked for', async () => {
    const api = mockApi()
    const wrapper = mountView('member')
    await flushPromises()
    expect(wrapper.get('[data-testid="member-note"]').text()).toContain('Only workspace owners')
    expect(api.calls).toHaveLength(0)
    wrapper.unmount()
  })

  it('an owner adds a webhook and sees its secret once, with a copy button', async () => {
    const api = mockApi()
      .once('GET', `${base}/webhooks`, { status: 200, body: { items: [] } })
      .once('GET', `${base}/notifications/settings`, {
        status: 200,
        body: { email: true, mailConfigured: false },
      })
      .once('POST', `${base}/webhooks`, { status: 201, body: { ...makeWebhook(), secret: SECRET } })
    const wrapper = mountView('owner')
    await flushPromises()
    expect(wrapper.find('[data-testid="mail-not-configured"]').exists()).toBe(true)
    expect((wrapper.get('[data-testid="email-toggle"]').element as HTMLInputElement).checked).toBe(
      true,
    )

    await wrapper.get('input[type="url"]').setValue('https://hooks.example.com/cloudlink')
    await wrapper.get('[data-testid="webhook-form"] form').trigger('submit')
    await flushPromises()
    const notice = wrapper.get('[data-testid="webhook-secret"]')
    expect((notice.get('input').element as HTMLInputElement).value).toBe(SECRET)
    expect(notice.text()).toContain('shown only this once')
    expect(notice.findAll('button').some((b) => b.text().startsWith('Copy'))).toBe(true)
    expect(wrapper.findAll('[data-testid="webhook"]')).toHaveLength(1)

    await notice
      .findAll('button')
      .find((b) => b.text() === 'I have stored it')!
      .trigger('click')
    expect(wrapper.find('[data-testid="webhook-secret"]').exists()).toBe(false)
    expect(wrapper.html()).not.toContain(SECRET)
    api.verify()
    wrapper.unmount()
  })

  it('an owner turns email off, sends a test, reads the delivery log and removes it after asking', async () => {
    const api = mockApi()
      .once('GET', `${base}/webhooks`, { status: 200, body: { items: [makeWebhook()] } })
      .once('GET', `${base}/notifications/settings`, {
        status: 200,
        body: { email: true, mailConfigured: true },
      })
      .once('PATCH', `${base}/notifications/settings`, {
        status: 200,
        body: { email: false, mailConfigured: true },
      })
      .once('POST', `${base}/webhooks/${WEBHOOK_ID}/test`, { status: 202, body: { id: 'e1' } })
      .once('GET', `${base}/webhooks/${WEBHOOK_ID}/deliveries`, {
        status: 200,
        body: { items: [makeDelivery({ event: 'test' })] },
      })
      .once('DELETE', `${base}/webhooks/${WEBHOOK_ID}`, { status: 204 })
    const wrapper = mountView('owner')
    await flushPromises()
    await wrapper.get('[data-testid="email-toggle"]').setValue(false)
    await flushPromises()
    expect(api.calls.find((c) => c.method === 'PATCH')?.body).toEqual({ email: false })

    await wrapper.get('[data-testid="webhook-test"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid="flash"]').text()).toContain('Test event queued')
    await wrapper.get('[data-testid="webhook-log-toggle"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid="delivery"]').text()).toContain('Test')

    await wrapper.get('[data-testid="webhook-remove"]').trigger('click')
    expect(api.calls.some((c) => c.method === 'DELETE')).toBe(false)
    expect(document.body.textContent).toContain('its secret is deleted')
    ;(document.querySelector('[data-testid="webhook-remove-confirm"]') as HTMLElement).click()
    await flushPromises()
    expect(wrapper.findAll('[data-testid="webhook"]')).toHaveLength(0)
    api.verify()
    wrapper.unmount()
  })
})
