import { describe, expect, it } from 'vitest'
import { defineComponent, nextTick, ref } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import ModalDialog from './ModalDialog.vue'

const Host = defineComponent({
  components: { ModalDialog },
  setup() {
    const open = ref(false)
    return { open }
  },
  template: `
    <button id="opener" @click="open = true">Open</button>
    <ModalDialog v-if="open" title="Confirm" @close="open = false">
      <p>Body</p>
      <template #actions>
        <button id="first">Cancel</button>
        <button id="last">OK</button>
      </template>
    </ModalDialog>`,
})

describe('ModalDialog', () => {
  it('moves focus in, traps Tab, closes on Escape and returns focus', async () => {
    const wrapper = mount(Host, { attachTo: document.body })
    const opener = wrapper.get('#opener')
    ;(opener.element as HTMLElement).focus()
    await opener.trigger('click')
    await flushPromises()
    const dialog = wrapper.get('[role="dialog"]')
    expect(dialog.attributes('aria-labelledby')).toBe(wrapper.get('h2').attributes('id'))
    expect(document.activeElement?.id).toBe('first')

    ;(wrapper.get('#last').element as HTMLElement).focus()
    await dialog.trigger('keydown', { key: 'Tab' })
    expect(document.activeElement?.id).toBe('first')
    await dialog.trigger('keydown', { key: 'Tab', shiftKey: true })
    expect(document.activeElement?.id).toBe('last')

    await dialog.trigger('keydown', { key: 'Escape' })
    await nextTick()
    expect(wrapper.find('[role="dialog"]').exists()).toBe(false)
    expect(document.activeElement?.id).toBe('opener')
    wrapper.unmount()
  })
})
