import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import fp from 'fastify-plugin'
import Bree from 'bree'
import type { FastifyBaseLogger } from 'fastify'
import {
  configEnv,
  isRecheckMessage,
  SWEPT,
  type RecheckWorkerData,
} from '../../domain/recheck/protocol.js'
import { resolveSchedule, scheduleError } from '../../domain/recheck/schedule.js'
import { recheckSettings, workerResourceLimits } from '../../domain/recheck/settings.js'
import { runSweep, type SweepCounts } from '../../domain/recheck/sweep.js'

declare module 'fastify' {
  interface FastifyInstance {
    jobs: Jobs
  }
}

export interface Jobs {
  /** null when RECHECK_SCHEDULE=off. */
  bree: Bree | null
  /** Starts a sweep now (unless one is running) and resolves with the counts of the next to end. */
  runRecheck(): Promise<SweepCounts>
  /** Resolves with the counts of the next sweep to end; rejects if its worker dies first. */
  nextSweep(): Promise<SweepCounts>
}

const JOB = 'recheck'

// The job sits next to this file's tree: src/jobs/recheck.ts under tsx, dist/jobs/recheck.js built.
const EXT = extname(fileURLToPath(import.meta.url))
const JOB_PATH = fileURLToPath(new URL(`../../jobs/${JOB}${EXT}`, import.meta.url))
/** A worker runs the TypeScript source through tsx, the project's dev runner (not in production). */
const workerExecArgv = () => (EXT === '.ts' ? ['--import', import.meta.resolve('tsx')] : undefined)

/** Bree talks in strings and Errors; its chatter (worker online, done) is debug for us. */
function breeLogger(log: FastifyBaseLogger) {
  const at =
    (level: 'debug' | 'warn' | 'error') =>
    (first: unknown): void => {
      if (first instanceof Error) log[level]({ err: first }, first.message)
      else log[level](String(first))
    }
  return { info: at('debug'), warn: at('warn'), error: at('error') }
}

/**
 * The recheck schedule (`app.jobs`): a bree instance, started when the app is ready and stopped on
 * close, whose job sweeps due accounts in a worker thread with its own database connection.
 * @see https://github.com/breejs/bree
 */
export default fp(
  async (app) => {
    const log = app.log.child({ job: JOB })
    const settings = recheckSettings(app.config)
    let waiters: { resolve(c: SweepCounts): void; reject(e: Error): void }[] = []
    let reported = false
    const settle = (outcome: SweepCounts | Error) => {
      reported = true
      const pending = waiters
      waiters = []
      for (const w of pending) {
        if (outcome instanceof Error) w.reject(outcome)
        else w.resolve(outcome)
      }
    }
    const nextSweep = () =>
      new Promise<SweepCounts>((resolve, reject) => waiters.push({ resolve, reject }))

    const schedule = await resolveSchedule(app.orm, app.config.RECHECK_SCHEDULE)
    if (!schedule) {
      app.decorate('jobs', {
        bree: null,
        runRecheck: () => Promise.reject(new Error('RECHECK_SCHEDULE is off')),
        nextSweep,
      })
      log.info('recheck schedule is off')
      return
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
          bree.workers.get(JOB)?.postMessage(SWEPT)
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
    const bree = new Bree({
      root: false,
      doRootCheck: false,
      logger: breeLogger(log),
      jobs: [
        {
          name: JOB,
          path: JOB_PATH,
          ...schedule.job,
          worker: {
            workerData,
            resourceLimits: workerResourceLimits(inFlight),
            ...(workerExecArgv() ? { execArgv: workerExecArgv() } : {}),
          },
        },
      ],
      workerMessageHandler: ({ message }) => {
        if (!isRecheckMessage(message)) return
        if (message.type === 'log') log[message.level](message.obj, message.msg)
        else if (message.type === 'sweep') {
          // The worker's commits are all in; reads here must not wait for their notifications.
          app.readCache.forgetAll()
          settle(message.counts)
        } else sweepInProcess()
      },
      errorHandler: (err) => log.error({ err }, 'recheck worker failed'),
    })
    try {
      // Validates the job (path, schedule) now, so a bad RECHECK_SCHEDULE fails the boot.
      await (bree as Bree & { init(): Promise<void> }).init()
    } catch (err: unknown) {
      throw scheduleError(app.config.RECHECK_SCHEDULE, err)
    }
    bree.on('worker created', () => (reported = false))
    bree.on('worker deleted', () => {
      if (!reported && !inProcess) settle(new Error('the recheck worker ended without a result'))
    })

    app.decorate('jobs', {
      bree,
      nextSweep,
      async runRecheck() {
        const result = nextSweep()
        await bree.run(JOB)
        return result
      },
    })
    app.addHook('onReady', async () => {
      await bree.start()
      log.info({ schedule: schedule.label, jobPath: JOB_PATH }, 'recheck scheduled')
    })
    app.addHook('onClose', async () => {
      closing.abort()
      await inProcess
      await bree.stop()
    })
  },
  { name: 'jobs', dependencies: ['config', 'db', 'vault', 'providers', 'sandbox', 'read-cache'] },
)
