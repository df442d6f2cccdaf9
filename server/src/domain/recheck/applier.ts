import type { MikroORM } from '@mikro-orm/postgresql'
import { applyChecks, type CheckToApply } from '../cloud-accounts/checks.js'

interface Waiting extends CheckToApply {
  /** When the verdict arrived (performance.now()), for the linger. */
  since: number
  resolve(applied: boolean): void
  reject(err: unknown): void
}

/**
 * Group commit for the sweep's verdicts. A check's verdict waits for the next free transaction, and
 * every verdict that arrived while the previous ones were being written goes into it together:
 * alone when the sweep is quiet, in batches of up to `maxBatch` when it is busy. Applying an
 * account one transaction at a time cost eight round trips to PostgreSQL per account, which was
 * most of a sweep's CPU. Each verdict still commits with its history row, inventory and event.
 *
 * `lingerMs` lets a batch gather for that long after its first verdict arrived (unless it is full
 * sooner). A batch costs about ten statements whatever its size, and without a linger a busy
 * sweep wrote three verdicts a transaction on average; nobody waits on these writes (the provider
 * slot is free once the provider answered), so a few tens of milliseconds cost nothing.
 */
export function createApplier(
  orm: MikroORM,
  opts: { maxBatch: number; inFlight?: number; lingerMs?: number },
): {
  apply(item: CheckToApply): Promise<boolean>
  /** Writes what is queued without waiting out the linger (no more verdicts are coming). */
  flush(): void
} {
  const queue: Waiting[] = []
  // Two transactions at a time: one waiting on a row lock (a manual recheck of the same account)
  // does not hold up every other verdict.
  const maxInFlight = opts.inFlight ?? 2
  const lingerMs = opts.lingerMs ?? 0
  let running = 0
  let timer: NodeJS.Timeout | undefined
  let flushing = false
  const stopTimer = () => {
    clearTimeout(timer)
    timer = undefined
  }

  const write = async (batch: Waiting[]): Promise<void> => {
    try {
      const applied = await applyChecks({ em: orm.em.fork() }, batch, 'scheduled')
      batch.forEach((w, i) => w.resolve(applied[i] === true))
    } catch (err: unknown) {
      const [only] = batch
      if (batch.length === 1 && only) return only.reject(err)
      // The transaction rolled back for all of them: one account's failure must not cost the
      // others their verdicts, so each is tried again on its own.
      for (const w of batch) await write([w])
    }
  }

  const pump = () => {
    while (running < maxInFlight && queue.length > 0) {
      const waited = performance.now() - (queue[0] as Waiting).since
      if (!flushing && queue.length < opts.maxBatch && waited < lingerMs) {
        // Not full and not old enough: look again when the oldest has waited long enough.
        timer ??= setTimeout(() => {
          timer = undefined
          pump()
        }, lingerMs - waited)
        return
      }
      running++
      const batch = queue.splice(0, opts.maxBatch)
      // Nothing left to linger for: a pending timer would only hold the process open.
      if (queue.length === 0) stopTimer()
      void write(batch).finally(() => {
        running--
        pump()
      })
    }
  }

  return {
    apply: (item) =>
      new Promise<boolean>((resolve, reject) => {
        queue.push({ ...item, since: performance.now(), resolve, reject })
        pump()
      }),
    flush() {
      flushing = true
      stopTimer()
      pump()
    },
  }
}
