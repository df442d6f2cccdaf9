import type { MikroORM } from '@mikro-orm/postgresql'
import { applyChecks, type CheckToApply } from '../cloud-accounts/checks.js'

interface Waiting extends CheckToApply {
  resolve(applied: boolean): void
  reject(err: unknown): void
}

/**
 * Group commit for the sweep's verdicts. A check's verdict waits for the next free transaction, and
 * every verdict that arrived while the previous ones were being written goes into it together:
 * alone when the sweep is quiet, in batches of up to `maxBatch` when it is busy. Applying an
 * account one transaction at a time cost eight round trips to PostgreSQL per account, which was
 * most of a sweep's CPU. Each verdict still commits with its history row, inventory and event.
 */
export function createApplier(
  orm: MikroORM,
  opts: { maxBatch: number; inFlight?: number },
): { apply(item: CheckToApply): Promise<boolean> } {
  const queue: Waiting[] = []
  // Two transactions at a time: one waiting on a row lock (a manual recheck of the same account)
  // does not hold up every other verdict.
  const maxInFlight = opts.inFlight ?? 2
  let running = 0

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
      running++
      void write(queue.splice(0, opts.maxBatch)).finally(() => {
        running--
        pump()
      })
    }
  }

  return {
    apply: (item) =>
      new Promise<boolean>((resolve, reject) => {
        queue.push({ ...item, resolve, reject })
        pump()
      }),
  }
}
