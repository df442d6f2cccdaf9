import type { ProviderId } from '@cloudlink/shared'
import { ConfigSchema, type Config } from '../../config.js'
import type { SweepCounts } from './sweep.js'

/** What the jobs plugin hands the recheck worker (bree adds its own `job` key). */
export interface RecheckWorkerData {
  /**
   * The parent's effective configuration as environment variables, for the worker's loadConfig().
   * It carries VAULT_KEYS: a worker thread shares the process, so this never leaves memory, and the
   * parent's config may not come from process.env at all (DATA_DIR secrets, tests).
   */
  env: Record<string, string>
  /** Sandbox simulators run in the parent; the worker reaches them at these origins. */
  origins: Partial<Record<ProviderId, string>>
  /**
   * Embedded PGlite is one database session: a second connection from the worker would interleave
   * its transactions with the app's. The worker then asks the parent to sweep in-process instead.
   */
  delegate: boolean
}

export type LogLevel = 'info' | 'warn' | 'error'

/** Worker → parent. (`'done'` is bree's own completion signal.) */
export type RecheckMessage =
  | { type: 'log'; level: LogLevel; obj: object; msg: string }
  | { type: 'sweep'; counts: SweepCounts }
  | { type: 'delegate' }

/** Parent → worker, after an in-process (delegated) sweep. (`'cancel'` is bree's stop signal.) */
export const SWEPT = 'swept'

/** The inverse of loadConfig(): the same Config comes out of loadConfig(configEnv(config)). */
export function configEnv(config: Config): Record<string, string> {
  const env: Record<string, string> = {}
  for (const key of Object.keys(ConfigSchema.properties) as (keyof Config)[]) {
    const value = config[key]
    if (value === undefined) continue
    env[key] = key === 'SANDBOX' ? (value ? '1' : '') : String(value)
  }
  return { ...env, ...config.providerUrls, ...config.oauth }
}

export const isRecheckMessage = (m: unknown): m is RecheckMessage =>
  typeof m === 'object' && m !== null && 'type' in m && typeof m.type === 'string'
