import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { hasDueWork } from '../../domain/notifications/due.js'
import {
  isNotifyMessage,
  NOTIFIED,
  WAKE,
  type NotifyWorkerData,
} from '../../domain/notifications/protocol.js'
import {
  createWakeup,
  runNotifications,
  type NotifyCounts,
  type Wakeup,
} from '../../domain/notifications/runner.js'
import { notifyEnvironment, type NotifySettings } from '../../domain/notifications/settings.js'
import { configEnv } from '../../domain/recheck/protocol.js'
import { workerExecArgv, type JobHost, type JobSpec } from './job-spec.js'

export const NOTIFY_JOB = 'notify'

const EXT = extname(fileURLToPath(import.meta.url))
const NOTIFY_PATH = fileURLToPath(new URL(`../../jobs/${NOTIFY_JOB}${EXT}`, import.meta.url))

export interface NotifyApi {
  /** New events or due work: run the job now, or wake the run in progress. */
  wake(): void
  /** Resolves with the counts of the next run to end. */
  nextRun(): Promise<NotifyCounts>
  /** What this instance's runs did since it started. */
  readonly totals: NotifyCounts
}

const zero = (): NotifyCounts => ({
  stale: 0,
  tokens: 0,
  events: 0,
  digests: 0,
  attempts: 0,
  emails: 0,
})

/**
 * The notification outbox's delivery as a bree job. It has no schedule of its own: it runs when
 * events are announced (the change feed's `n:`, or a sweep ending here), and when a look every
 * `dueScanMs` finds due work (retries, a digest whose sweep ended elsewhere); it ends by itself
 * once idle. Every instance runs it; their claims share the work.
 */
export function notifyJob(
  app: FastifyInstance,
  host: JobHost,
  settings: NotifySettings & { dueScanMs: number },
): { spec: JobSpec; api: NotifyApi } {
  const log = app.log.child({ job: NOTIFY_JOB })
  const totals = zero()
  let waiters: ((c: NotifyCounts) => void)[] = []
  const report = (counts: NotifyCounts) => {
    for (const key of Object.keys(totals) as (keyof NotifyCounts)[]) totals[key] += counts[key]
    if (counts.attempts + counts.emails + counts.stale + counts.tokens > 0)
      log.info(counts, 'notifications sent')
    const pending = waiters
    waiters = []
    for (const resolve of pending) resolve(counts)
  }

  let closed = false
  const closing = new AbortController()
  // Embedded PGlite: the worker delegates and the job runs here, on the app's one connection.
  let inProcess: { done: Promise<void>; wakeup: Wakeup } | null = null
  const runInProcess = () => {
    if (inProcess) return
    const wakeup = createWakeup()
    const done = runNotifications({
      orm: app.orm,
      vault: app.vault,
      mailer: app.mailer,
      env: notifyEnvironment(app.config),
      settings,
      log,
      signal: closing.signal,
      wakeup,
    })
      .then(report, (err: unknown) => log.error({ err }, 'notify run failed'))
      .finally(() => {
        inProcess = null
        host.worker(NOTIFY_JOB)?.postMessage(NOTIFIED)
      })
    inProcess = { done, wakeup }
  }

  const wake = () => {
    if (closed) return
    const worker = host.worker(NOTIFY_JOB)
    if (inProcess) inProcess.wakeup.wake()
    else if (worker) worker.postMessage(WAKE)
    else void host.run(NOTIFY_JOB).catch((err: unknown) => log.error({ err }, 'notify not started'))
  }

  // The look in flight, if any: closing waits for it, so no query starts as the pool closes.
  let scanning: Promise<void> | null = null
  const look = async () => {
    try {
      const due = await hasDueWork(app.orm.em.fork(), {
        now: new Date(),
        settings,
        mail: app.mailer !== null,
      })
      if (due) wake()
    } catch (err: unknown) {
      if (!closed) log.warn({ err }, 'notify: looking for due work failed')
    }
  }
  const scan = () => {
    if (closed || scanning || inProcess || host.worker(NOTIFY_JOB)) return
    scanning = look().finally(() => {
      scanning = null
    })
  }
  let timer: NodeJS.Timeout | undefined

  // Without a live change feed (embedded PGlite, or the feed is down) nobody hears `n:`: a change
  // made through this instance (a recheck, a reconnect, a test button) looks for work at once.
  app.addHook('onResponse', async (request, reply) => {
    if (app.changeFeed.live || request.method === 'GET' || reply.statusCode >= 400) return
    if (request.url.startsWith('/api/v1/')) scan()
  })

  const workerData: NotifyWorkerData = {
    env: configEnv(app.config),
    settings,
    delegate: app.config.embedded,
  }
  const spec: JobSpec = {
    // No cron, no interval: bree starts it only when asked (wake).
    job: {
      name: NOTIFY_JOB,
      path: NOTIFY_PATH,
      interval: 0,
      worker: { workerData, ...workerExecArgv(EXT) },
    },
    onMessage(message) {
      if (!isNotifyMessage(message)) return
      if (message.type === 'log') log[message.level](message.obj, message.msg)
      else if (message.type === 'notified') report(message.counts)
      else runInProcess()
    },
    // A wake that came while the worker was finishing would be lost: look once more.
    onWorkerDeleted: () => scan(),
    onReady() {
      app.changeFeed.onChange((payload) => {
        if (payload.startsWith('n:')) wake()
      })
      timer = setInterval(() => scan(), settings.dueScanMs)
      timer.unref()
      // Work a previous instance left behind (a retry, a digest) starts now, not at the first scan.
      scan()
    },
    async onClose() {
      closed = true
      clearInterval(timer)
      closing.abort()
      await scanning
      await inProcess?.done
    },
  }
  return {
    spec,
    api: {
      wake,
      nextRun: () => new Promise<NotifyCounts>((resolve) => waiters.push(resolve)),
      totals,
    },
  }
}
