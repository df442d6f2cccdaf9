import { parentPort, workerData } from 'node:worker_threads'
import type { MessagePort } from 'node:worker_threads'
import { MikroORM } from '@mikro-orm/postgresql'
import type { ProviderId } from '@cloudlink/shared'
import { loadConfig } from '../config.js'
import { createOrmConfig } from '../db/orm-config.js'
import {
  SWEPT,
  type LogLevel,
  type RecheckMessage,
  type RecheckWorkerData,
} from '../domain/recheck/protocol.js'
import { recheckSettings } from '../domain/recheck/settings.js'
import { runSweep, type SweepLog } from '../domain/recheck/sweep.js'
import { createVault } from '../domain/vault/vault.js'
import { createProviderRegistry } from '../providers/registry.js'

/**
 * Bree job: one recheck sweep in a worker thread, with its own configuration, database connection,
 * vault and provider registry, running the same sweep (and account service) as everything else.
 */

const send = (port: MessagePort, message: RecheckMessage) => port.postMessage(message)

/** Log lines go to the parent, whose logger (level, destination, redaction) is the app's. */
const portLog = (port: MessagePort): SweepLog => {
  const at = (level: LogLevel) => (obj: object, msg: string) =>
    send(port, { type: 'log', level, obj, msg })
  return { info: at('info'), warn: at('warn'), error: at('error') }
}

async function sweep(port: MessagePort, data: RecheckWorkerData, signal: AbortSignal) {
  const config = loadConfig(data.env)
  if (!config.DATABASE_URL || !config.VAULT_KEYS)
    throw new Error('recheck: DATABASE_URL and VAULT_KEYS are required in a worker')
  const orm = await MikroORM.init(
    createOrmConfig({ url: config.DATABASE_URL, singleConnection: false }),
  )
  try {
    const providers = createProviderRegistry(config)
    for (const [id, origin] of Object.entries(data.origins))
      providers.setOrigin(id as ProviderId, origin)
    const counts = await runSweep({
      orm,
      vault: createVault({ keys: config.VAULT_KEYS }),
      providers,
      log: portLog(port),
      signal,
      ...recheckSettings(config),
    })
    send(port, { type: 'sweep', counts })
  } finally {
    await orm.close()
  }
}

async function main() {
  const port = parentPort
  if (!port) throw new Error('recheck: run it as a bree job (a worker thread)')
  const data = workerData as RecheckWorkerData
  const controller = new AbortController()
  const swept = new Promise<void>((resolve) =>
    port.on('message', (message: unknown) => {
      // bree's stop(): finish or release in-flight checks, then end.
      if (message === 'cancel') controller.abort()
      if (message === SWEPT) resolve()
    }),
  )
  if (data.delegate) {
    send(port, { type: 'delegate' })
    await swept
  } else await sweep(port, data, controller.signal)
  port.postMessage('done')
}

await main()
