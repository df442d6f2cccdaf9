import { describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import ConnectPanel from './ConnectPanel.vue'
import { VALID_TOKEN, makeProvider } from '@/test/fixtures'

/** The credential form while the provider takes its time: waiting said, Cancel stops waiting. */
function mountPanel(props: Record<string, unknown> = {}) {
  return mount(ConnectPanel, {
    props: { provider: makeProvider(), ...props },
    attachTo: document.body,
  })
}

async function fill(wrapper: ReturnType<typeof mountPanel>, label: string, token: string) {
  await wrapper.get('input[name="label"]').setValue(label)
  await wrapper.get('input[name="token"]').setValue(token)
}

describe('CredentialForm, slow verification', () => {
  it('a slow provider: says it is waiting, and Cancel stops waiting instead of closing', async () => {
    vi.useFakeTimers()
    const wrapper = mountPanel()
    await fill(wrapper, 'Production', VALID_TOKEN)
    await wrapper.setProps({ busy: true })
    vi.advanceTimersByTime(3000)
    await wrapper.vm.$nextTick()
    const progress = wrapper.get('[data-testid="connect-progress"]')
    expect(progress.attributes('data-slow')).toBe('true')
    expect(progress.text()).toBe(
      'Still waiting for Hetzner Cloud to answer. Nothing is saved until it accepts the credential; Cancel stops waiting.',
    )
    const cancel = wrapper.get('[data-testid="connect-cancel"]')
    expect(cancel.attributes('disabled')).toBeUndefined()
    await cancel.trigger('click')
    expect(wrapper.emitted('abort')).toHaveLength(1)
    expect(wrapper.emitted('cancel')).toBeUndefined()

    await wrapper.setProps({ busy: false, cancelled: true })
    expect(wrapper.get('[data-testid="connect-progress"]').text()).toBe(
      'Stopped waiting for Hetzner Cloud. Nothing was saved.',
    )
    expect((wrapper.get('input[name="token"]').element as HTMLInputElement).value).toBe(VALID_TOKEN)
    await wrapper.get('[data-testid="connect-cancel"]').trigger('click')
    expect(wrapper.emitted('cancel')).toHaveLength(1)
    wrapper.unmount()
    vi.useRealTimers()
  })
})
