import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import {
  configEnv,
  isRecheckMessage,
  SWEPT,
  type RecheckWorkerData,
} from '../../domain/recheck/protocol.js'
import type { RecheckSchedule } from '../../domain/recheck/schedule.js'
import { recheckSettings, workerResourceLimits } from '../../domain/recheck/settings.js'
import { runSweep, type SweepCounts } from '../../domain/recheck/sweep.js'
import { workerExecArgv, type JobHost, type JobSpec } from './job-spec.js'

export const RECHECK_JOB = 'recheck'

// The job sits next to this file's tree: src/jobs/recheck.ts under tsx, dist/jobs/recheck.js built.
const EXT = extname(fileURLToPath(import.meta.url))
export const RECHECK_PATH = fileURLToPath(
  new URL(`../../jobs/${RECHECK_JOB}${EXT}`, import.meta.url),
)

export interface RecheckApi {
  /** Starts a sweep now (unless one is running) and resolves with the counts of the next to end. */
  runRecheck(): Promise<SweepCounts>
  /** Resolves with the counts of the next sweep to end; rejects if its worker dies first. */
  nextSweep(): Promise<SweepCounts>
}

/** Waiters for the next sweep's counts, settled by whichever sweep ends next. */
function sweepWaiters() {
  let waiters: { resolve(c: SweepCounts): void; reject(e: Error): void }[] = []
  return {
    next: () => new Promise<SweepCounts>((resolve, reject) => waiters.push({ resolve, reject })),
    settle(outcome: SweepCounts | Error) {
      const pending = waiters
      waiters = []
      for (const w of pending) {
        if (outcome instanceof Error) w.reject(outcome)
        else w.resolve(outcome)
      }
    },
  }
}

/** RECHECK_SCHEDULE=off: no job; asking for a sweep fails. */
export function recheckOff(): RecheckApi {
  const waiters = sweepWaiters()
  return {
    runRecheck: () => Promise.reject(new Error('RECHECK_SCHEDULE is off')),
    nextSweep: waiters.next,
  }
}

/**
 * The recheck sweep as a bree job: a worker thread with its own database connection sweeps due
 * accounts on the schedule. `onSwept` runs after every sweep (the notify job's cue).
 */
export function recheckJob(
  app: FastifyInstance,
  host: JobHost,
  schedule: RecheckSchedule,
  onSwept: () => void,
): { spec: JobSpec; api: RecheckApi } {
  const log = app.log.child({ job: RECHECK_JOB })
  const settings = recheckSettings(app.config)
  const waiters = sweepWaiters()
  let reported = false
  const settle = (outcome: SweepCounts | Error) => {
    reported = true
    waiters.settle(outcome)
    onSwept()
  }

  // Embedded PGlite: the worker delegates, and the sweep runs here on the app's one connection.
  const closing = new AbortController()
  let inProcess: Promise<void> | null = null
  const sweepInProcess = () => {
    inProcess ??= runSweep({
      orm: app.orm,
      vault: app.vault,
      providers: app.providers,
      log,
      signal: closing.signal,
      ...settings,
    })
      .then(settle, (err: unknown) => {
        log.error({ err }, 'recheck sweep failed')
        settle(err instanceof Error ? err : new Error(String(err)))
      })
      .finally(() => {
        inProcess = null
        host.worker(RECHECK_JOB)?.postMessage(SWEPT)
      })
  }

  const inFlight = app.providers
    .list()
    .filter((p) => p.available)
    .reduce((sum, p) => sum + settings.concurrency(p.id), 0)
  const workerData: RecheckWorkerData = {
    env: configEnv(app.config),
    origins: app.sandbox.urls,
    delegate: app.config.embedded,
  }

  const spec: JobSpec = {
    job: {
      name: RECHECK_JOB,
      path: RECHECK_PATH,
      ...schedule.job,
      worker: {
        workerData,
        resourceLimits: workerResourceLimits(inFlight),
        ...workerExecArgv(EXT),
      },
    },
    onMessage(message) {
      if (!isRecheckMessage(message)) return
      if (message.type === 'log') log[message.level](message.obj, message.msg)
      else if (message.type === 'sweep') {
        // The worker's commits are all in; reads here must not wait for their notifications.
        app.readCache.forgetAll()
        settle(message.counts)
      } else sweepInProcess()
    },
    onWorkerCreated: () => (reported = false),
    onWorkerDeleted() {
      if (!reported && !inProcess) settle(new Error('the recheck worker ended without a result'))
    },
    onReady: () =>
      log.info({ schedule: schedule.label, jobPath: RECHECK_PATH }, 'recheck scheduled'),
    async onClose() {
      closing.abort()
      await inProcess
    },
  }
  return {
    spec,
    api: {
      nextSweep: waiters.next,
      async runRecheck() {
        const result = waiters.next()
        await host.run(RECHECK_JOB)
        return result
      },
    },
  }
}
