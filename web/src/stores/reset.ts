import { getActivePinia, getStores } from 'pinia'

/** Calls reset() on every store in use, so nothing from one session leaks into the next. */
export function resetAllStores(): void {
  const pinia = getActivePinia()
  if (!pinia) return
  for (const store of getStores(pinia)) {
    const reset = (store as { reset?: unknown }).reset
    if (typeof reset === 'function') reset()
  }
}
