import { nextTick, ref } from 'vue'

/**
 * A one-line success message for the page (role="status"): set it after an action, and focus
 * moves to it so keyboard and screen-reader users learn the outcome where they are.
 */
export function useFlash() {
  const message = ref('')
  const element = ref<HTMLElement | null>(null)

  async function flash(text: string, options: { focus?: boolean } = {}) {
    message.value = text
    if (options.focus) {
      await nextTick()
      element.value?.focus()
    }
  }

  const clear = () => (message.value = '')

  return { message, element, flash, clear }
}
