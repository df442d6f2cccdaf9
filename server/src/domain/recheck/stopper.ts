/**
 * `stop` ends claiming and starting checks. Checks in flight may finish for `graceMs`; then `grace`
 * aborts their remaining requests and they are abandoned, so a shutdown is bounded.
 */
export interface Stopper {
  /** Aborted by halt(): claim nothing more, start no check. */
  stop: AbortSignal
  /** Aborted `graceMs` after halt(): requests still to be sent fail, pending checks are dropped. */
  grace: AbortSignal
  halt(): void
  abandonable<T>(work: Promise<T>): Promise<T | 'abandoned'>
  dispose(): void
}

export function stopper(signal: AbortSignal | undefined, graceMs: number): Stopper {
  const stop = new AbortController()
  const grace = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const halt = () => {
    if (stop.signal.aborted) return
    stop.abort()
    timer = setTimeout(() => grace.abort(), graceMs)
  }
  if (signal?.aborted) halt()
  signal?.addEventListener('abort', halt, { once: true })
  return {
    stop: stop.signal,
    grace: grace.signal,
    halt,
    // Per check, not Promise.race with one shared promise: that would keep every check's result
    // reachable from the shared promise until the sweep ends.
    abandonable: <T>(work: Promise<T>) =>
      new Promise<T | 'abandoned'>((resolve, reject) => {
        const abandon = () => resolve('abandoned')
        grace.signal.addEventListener('abort', abandon, { once: true })
        work.then(resolve, reject).finally(() => grace.signal.removeEventListener('abort', abandon))
      }),
    dispose() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', halt)
    },
  }
}
