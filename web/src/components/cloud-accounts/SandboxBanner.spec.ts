import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import SandboxBanner from './SandboxBanner.vue'
import { VALID_TOKEN } from '@/test/fixtures'

describe('SandboxBanner', () => {
  it('the demo credentials toggle says "Hide" while the table is open', async () => {
    const wrapper = mount(SandboxBanner, {
      props: {
        demoCredentials: [
          { provider: 'hetzner-cloud', kind: 'good', credentials: { token: VALID_TOKEN } },
        ],
        providerName: () => 'Hetzner Cloud',
      },
    })
    const details = wrapper.get('details')
    expect(details.get('summary').text()).toBe('Show the demo credentials')
    ;(details.element as HTMLDetailsElement).open = true
    await details.trigger('toggle')
    expect(details.get('summary').text()).toBe('Hide the demo credentials')
    ;(details.element as HTMLDetailsElement).open = false
    await details.trigger('toggle')
    expect(details.get('summary').text()).toBe('Show the demo credentials')
  })
})
