import fp from 'fastify-plugin'
import Bree from 'bree'
import type { FastifyBaseLogger } from 'fastify'
import { resolveSchedule, scheduleError } from '../../domain/recheck/schedule.js'
import {
  DEFAULT_NOTIFY_SETTINGS,
  type NotifySettings,
} from '../../domain/notifications/settings.js'
import type { JobHost, JobSpec } from './job-spec.js'
import { notifyJob, type NotifyApi } from './notify-job.js'
import { recheckJob, recheckOff, RECHECK_JOB, type RecheckApi } from './recheck-job.js'

declare module 'fastify' {
  interface FastifyInstance {
    jobs: Jobs
  }
}

export interface Jobs extends RecheckApi {
  /** The bree instance; it holds the recheck job unless RECHECK_SCHEDULE=off. */
  bree: Bree
  /** Whether the recheck sweep is scheduled (RECHECK_SCHEDULE is not off). */
  recheckScheduled: boolean
  /** The notification outbox's delivery. */
  notify: NotifyApi
}

export interface JobsOptions {
  /** Pacing of the notify job (backoff, deadlines, leases); production defaults otherwise. */
  notify?: Partial<NotifySettings & { dueScanMs: number }>
}

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
 * Background work (`app.jobs`): one bree instance, started when the app is ready and stopped on
 * close, running each job in a worker thread with its own database connection. `recheck` sweeps
 * due accounts on RECHECK_SCHEDULE (recheck-job.ts); `notify` delivers the notification outbox
 * whenever there is something to deliver (notify-job.ts).
 * @see https://github.com/breejs/bree
 */
export default fp<JobsOptions>(
  async (app, opts) => {
    const log = app.log.child({ job: 'jobs' })
    // The jobs need the host before bree exists (bree needs their definitions first).
    const holder: { bree?: Bree } = {}
    const host: JobHost = {
      worker: (name) => holder.bree?.workers.get(name),
      async run(name) {
        const { bree } = holder
        if (bree && !bree.workers.has(name)) await bree.run(name)
      },
    }

    const notify = notifyJob(app, host, {
      ...DEFAULT_NOTIFY_SETTINGS,
      dueScanMs: 30_000,
      ...opts.notify,
    })
    const schedule = await resolveSchedule(app.orm, app.config.RECHECK_SCHEDULE)
    const recheck = schedule ? recheckJob(app, host, schedule, () => notify.api.wake()) : null
    if (!schedule) app.log.child({ job: RECHECK_JOB }).info('recheck schedule is off')

    const specs: JobSpec[] = [notify.spec, ...(recheck ? [recheck.spec] : [])]
    const byName = new Map(specs.map((s) => [s.job.name, s]))
    const bree = new Bree({
      root: false,
      doRootCheck: false,
      logger: breeLogger(log),
      jobs: specs.map((s) => s.job),
      workerMessageHandler: ({ name, message }) => byName.get(name)?.onMessage(message),
      errorHandler: (err, meta) =>
        app.log.child({ job: meta?.name ?? 'jobs' }).error({ err }, 'job worker failed'),
    })
    try {
      // Validates the jobs (paths, schedule) now, so a bad RECHECK_SCHEDULE fails the boot.
      await (bree as Bree & { init(): Promise<void> }).init()
    } catch (err: unknown) {
      throw scheduleError(app.config.RECHECK_SCHEDULE, err)
    }
    bree.on('worker created', (name: string) => byName.get(name)?.onWorkerCreated?.())
    bree.on('worker deleted', (name: string) => byName.get(name)?.onWorkerDeleted?.())
    holder.bree = bree

    const started = bree
    app.decorate('jobs', {
      bree: started,
      recheckScheduled: recheck !== null,
      notify: notify.api,
      ...(recheck ? recheck.api : recheckOff()),
    })
    app.addHook('onReady', async () => {
      await started.start()
      for (const spec of specs) await spec.onReady?.()
    })
    app.addHook('onClose', async () => {
      for (const spec of specs) await spec.onClose?.()
      await started.stop()
    })
  },
  {
    name: 'jobs',
    dependencies: [
      'config',
      'db',
      'vault',
      'providers',
      'sandbox',
      'read-cache',
      'change-feed',
      'mailer',
    ],
  },
)
