import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import CreatedToken from './CreatedToken.vue'
import { ACCOUNT_ID, SECRET, WS, makeCreatedToken } from '@/test/fixtures'

afterEach(() => vi.unstubAllGlobals())

const mountCreated = (token = makeCreatedToken(), exampleAccountId: string | null = ACCOUNT_ID) =>
  mount(CreatedToken, {
    props: { token, workspaceId: WS, exampleAccountId },
    attachTo: document.body,
  })

describe('CreatedToken', () => {
  it('shows the token in a copy box with the warning that it is shown only now', () => {
    const wrapper = mountCreated()
    expect(wrapper.get('h2').text()).toBe('Token "Platform backend" created')
    expect(document.activeElement).toBe(wrapper.get('h2').element)
    expect(wrapper.get('[data-testid="once-warning"]').text()).toContain("You won't see it again")
    const label = wrapper.findAll('label').find((l) => l.text() === 'New API token')!
    const input = wrapper.get(`[id="${label.attributes('for')}"]`)
    expect((input.element as HTMLInputElement).value).toBe(SECRET)
    expect(input.attributes('readonly')).toBeDefined()
    wrapper.unmount()
  })

  it('copies the token with the clipboard API and says so', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined)
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    const wrapper = mountCreated()
    const button = wrapper.get('button.btn:not(.btn--primary)')
    expect(button.text()).toBe('Copy New API token')
    await button.trigger('click')
    await flushPromises()
    expect(writeText).toHaveBeenCalledWith(SECRET)
    expect(button.text()).toContain('Copied')
    wrapper.unmount()
  })

  it('tells the owner to select it by hand when the clipboard is refused', async () => {
    const writeText = vi.fn().mockRejectedValue(new DOMException('denied', 'NotAllowedError'))
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    const wrapper = mountCreated()
    await wrapper.get('button.btn:not(.btn--primary)').trigger('click')
    await flushPromises()
    expect(wrapper.text()).toContain('Select the text and copy it')
    wrapper.unmount()
  })

  it('shows both ways to send it, pointing at the broker, without repeating the secret', () => {
    const wrapper = mountCreated()
    const url = `${window.location.origin}/api/v1/workspaces/${WS}/cloud-accounts/${ACCOUNT_ID}/proxy/`
    const bearer = wrapper.get('[data-testid="usage-bearer"]').text()
    expect(bearer).toContain('curl -H "Authorization: Bearer clk_…"')
    expect(bearer).toContain(url)
    const header = wrapper.get('[data-testid="usage-header"]').text()
    expect(header).toContain('X-Cloudlink-Token: clk_…')
    expect(header).toContain(url)
    expect(
      wrapper
        .findAll('pre')
        .map((p) => p.text())
        .join(),
    ).not.toContain(SECRET)
    wrapper.unmount()
  })

  it('points a token without accounts:use at the accounts list instead', () => {
    const wrapper = mountCreated(makeCreatedToken({ scopes: ['accounts:read'] }), null)
    expect(wrapper.get('[data-testid="usage-bearer"]').text()).toMatch(
      new RegExp(`/api/v1/workspaces/${WS}/cloud-accounts$`),
    )
    wrapper.unmount()
  })

  it('emits done when the owner has copied it', async () => {
    const wrapper = mountCreated()
    await wrapper.get('button.btn--primary').trigger('click')
    expect(wrapper.emitted('done')).toHaveLength(1)
    wrapper.unmount()
  })
})
