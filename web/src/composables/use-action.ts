import { ref } from 'vue'
import { toApiError, type ApiError } from '@/api/client'

/**
 * One user action's busy flag and error, for a button or a form: `run` clears the last error,
 * is busy while the work runs, and keeps what it threw as an ApiError for an ErrorAlert. The work
 * includes what follows success (closing a dialog, a flash), so it happens only when nothing threw.
 */
export function useAction() {
  const busy = ref(false)
  const error = ref<ApiError | null>(null)

  /** Runs `work`; resolves true when it succeeded, false when it threw (the error is kept). */
  async function run(work: () => Promise<unknown>): Promise<boolean> {
    busy.value = true
    error.value = null
    try {
      await work()
      return true
    } catch (err: unknown) {
      error.value = toApiError(err)
      return false
    } finally {
      busy.value = false
    }
  }

  /** Forgets the last outcome (a dialog or panel opened afresh). */
  function reset(): void {
    busy.value = false
    error.value = null
  }

  return { busy, error, run, reset }
}
