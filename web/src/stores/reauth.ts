import { ref } from 'vue'
import { defineStore } from 'pinia'
import type { ReauthBody } from '@cloudlink/shared'
import * as securityApi from '@/api/security'

/**
 * Sudo mode's prompt: an action answered 403 REAUTH_REQUIRED waits on `ask()` while the dialog asks
 * for the password or a code; confirmed, the client retries the action. Several actions refused
 * at once share one prompt.
 */
export const useReauthStore = defineStore('reauth', () => {
  const open = ref(false)
  let pending: Promise<boolean> | null = null
  let settle: ((confirmed: boolean) => void) | null = null

  function ask(): Promise<boolean> {
    if (pending) return pending
    open.value = true
    pending = new Promise<boolean>((resolve) => (settle = resolve))
    return pending
  }

  function finish(confirmed: boolean): void {
    open.value = false
    settle?.(confirmed)
    pending = null
    settle = null
  }

  /** Sends the confirmation; a wrong password rejects (the dialog shows it) and keeps asking. */
  async function confirm(body: ReauthBody): Promise<void> {
    await securityApi.reauth(body)
    finish(true)
  }

  const cancel = () => finish(false)
  const reset = () => finish(false)

  return { open, ask, confirm, cancel, reset }
})
