import { onScopeDispose, ref, watch, type Ref } from 'vue'
import { toApiError, type ApiError } from '@/api/client'

const isAbort = (err: unknown) => err instanceof DOMException && err.name === 'AbortError'

/**
 * A credential being verified by the provider (connect, reconnect): busy while it runs, its
 * error, and a way to stop waiting. `abort` cancels the request (the server then stores nothing);
 * leaving the page does too. `cancelled` says the last attempt was stopped, not refused.
 */
export function useVerify() {
  const busy = ref(false)
  const error = ref<ApiError | null>(null)
  const cancelled = ref(false)
  let controller: AbortController | null = null

  /** Runs `work` with a signal; true when it succeeded. */
  async function run(work: (signal: AbortSignal) => Promise<unknown>): Promise<boolean> {
    controller?.abort()
    const current = new AbortController()
    controller = current
    busy.value = true
    error.value = null
    cancelled.value = false
    try {
      await work(current.signal)
      return true
    } catch (err: unknown) {
      if (isAbort(err)) cancelled.value = true
      else error.value = toApiError(err)
      return false
    } finally {
      if (controller === current) {
        controller = null
        busy.value = false
      }
    }
  }

  const abort = () => controller?.abort()

  function reset(): void {
    abort()
    busy.value = false
    error.value = null
    cancelled.value = false
  }

  onScopeDispose(abort)
  return { busy, error, cancelled, run, abort, reset }
}

/** Most providers answer within a second; past `ms`, a form says what is going on and how to stop. */
export function useSlowFlag(busy: () => boolean, ms = 2500): Readonly<Ref<boolean>> {
  const slow = ref(false)
  let timer: ReturnType<typeof setTimeout> | undefined
  watch(busy, (now) => {
    clearTimeout(timer)
    slow.value = false
    if (now) timer = setTimeout(() => (slow.value = true), ms)
  })
  onScopeDispose(() => clearTimeout(timer))
  return slow
}
