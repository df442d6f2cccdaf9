import { describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick, ref } from 'vue'
import { useSlowFlag, useVerify } from './use-verify'
import { ApiError } from '@/api/client'

/** A request that settles only when aborted, like fetch waiting on a slow provider. */
const slowRequest = (signal: AbortSignal) =>
  new Promise((_resolve, reject) =>
    signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
  )

describe('useVerify', () => {
  it('abort cancels the request: cancelled, not an error', async () => {
    const scope = effectScope()
    const verify = scope.run(() => useVerify())!
    let seen: AbortSignal | null = null
    const done = verify.run((signal) => {
      seen = signal
      return slowRequest(signal)
    })
    expect(verify.busy.value).toBe(true)
    verify.abort()
    expect(await done).toBe(false)
    expect(seen!.aborted).toBe(true)
    expect(verify.cancelled.value).toBe(true)
    expect(verify.error.value).toBeNull()
    expect(verify.busy.value).toBe(false)
    scope.stop()
  })

  it('keeps a refusal as the error', async () => {
    const scope = effectScope()
    const verify = scope.run(() => useVerify())!
    const refusal = new ApiError({ status: 422, code: 'PROVIDER_REJECTED', message: 'no' })
    expect(await verify.run(() => Promise.reject(refusal))).toBe(false)
    expect(verify.error.value).toBe(refusal)
    expect(verify.cancelled.value).toBe(false)
    scope.stop()
  })

  it('leaving (the scope ends) stops waiting too', async () => {
    const scope = effectScope()
    const verify = scope.run(() => useVerify())!
    let seen: AbortSignal | null = null
    const done = verify.run((signal) => {
      seen = signal
      return slowRequest(signal)
    })
    scope.stop()
    await done
    expect(seen!.aborted).toBe(true)
  })

  it('says "slow" only after a while', async () => {
    vi.useFakeTimers()
    const scope = effectScope()
    const busy = ref(false)
    const slow = scope.run(() => useSlowFlag(() => busy.value, 1000))!
    busy.value = true
    await nextTick()
    expect(slow.value).toBe(false)
    vi.advanceTimersByTime(1000)
    expect(slow.value).toBe(true)
    busy.value = false
    await nextTick()
    expect(slow.value).toBe(false)
    scope.stop()
    vi.useRealTimers()
  })
})
