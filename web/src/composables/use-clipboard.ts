import { ref } from 'vue'

/** Copies text, reporting 'copied' or 'failed' for a couple of seconds so the button can say so. */
export function useClipboard() {
  const state = ref<'idle' | 'copied' | 'failed'>('idle')
  let timer: ReturnType<typeof setTimeout> | null = null

  async function copy(text: string): Promise<void> {
    try {
      if (!navigator.clipboard) throw new Error('Clipboard API unavailable')
      await navigator.clipboard.writeText(text)
      state.value = 'copied'
    } catch {
      state.value = 'failed'
    }
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => (state.value = 'idle'), 2500)
  }

  return { state, copy }
}
