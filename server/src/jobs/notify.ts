import { parentPort, workerData } from 'node:worker_threads'
import type { MessagePort } from 'node:worker_threads'
import { MikroORM } from '@mikro-orm/postgresql'
import { loadConfig, publicUrl } from '../config.js'
import { createOrmConfig } from '../db/orm-config.js'
import { createSmtpMailer, mailFrom } from '../domain/mail/smtp.js'
import {
  NOTIFIED,
  WAKE,
  type NotifyLogLevel,
  type NotifyMessage,
  type NotifyWorkerData,
} from '../domain/notifications/protocol.js'
import { createWakeup, runNotifications, type NotifyLog } from '../domain/notifications/runner.js'
import { notifyEnvironment } from '../domain/notifications/settings.js'
import { createVault } from '../domain/vault/vault.js'

/**
 * Bree job: delivers the notification outbox (webhooks, email) in a worker thread with its own
 * configuration, database connection, vault and mailer, until nothing is due for a while.
 */

const send = (port: MessagePort, message: NotifyMessage) => port.postMessage(message)

const portLog = (port: MessagePort): NotifyLog => {
  const at = (level: NotifyLogLevel) => (obj: object, msg: string) =>
    send(port, { type: 'log', level, obj, msg })
  return { info: at('info'), warn: at('warn'), error: at('error') }
}

async function run(port: MessagePort, data: NotifyWorkerData, signal: AbortSignal) {
  const config = loadConfig(data.env)
  if (!config.DATABASE_URL || !config.VAULT_KEYS)
    throw new Error('notify: DATABASE_URL and VAULT_KEYS are required in a worker')
  const wakeup = createWakeup()
  port.on('message', (message: unknown) => {
    if (message === WAKE) wakeup.wake()
  })
  const orm = await MikroORM.init(
    createOrmConfig({ url: config.DATABASE_URL, singleConnection: false }),
  )
  const mailer = config.SMTP_URL
    ? createSmtpMailer({
        url: config.SMTP_URL,
        from: mailFrom(config.MAIL_FROM, publicUrl(config)),
      })
    : null
  try {
    const counts = await runNotifications({
      orm,
      vault: createVault({ keys: config.VAULT_KEYS }),
      mailer,
      env: notifyEnvironment(config),
      settings: data.settings,
      log: portLog(port),
      signal,
      wakeup,
    })
    send(port, { type: 'notified', counts })
  } finally {
    mailer?.close()
    await orm.close()
  }
}

async function main() {
  const port = parentPort
  if (!port) throw new Error('notify: run it as a bree job (a worker thread)')
  const data = workerData as NotifyWorkerData
  const controller = new AbortController()
  const delegated = new Promise<void>((resolve) =>
    port.on('message', (message: unknown) => {
      if (message === 'cancel') controller.abort()
      if (message === NOTIFIED) resolve()
    }),
  )
  if (data.delegate) {
    send(port, { type: 'delegate' })
    await delegated
  } else await run(port, data, controller.signal)
  port.postMessage('done')
}

await main()
