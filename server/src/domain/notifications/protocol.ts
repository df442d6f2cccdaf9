import type { NotifySettings } from './settings.js'
import type { NotifyCounts } from './runner.js'

/** What the jobs plugin hands the notify worker (bree adds its own `job` key). */
export interface NotifyWorkerData {
  /** The parent's configuration as environment variables (see recheck/protocol.ts configEnv). */
  env: Record<string, string>
  settings: NotifySettings
  /** Embedded PGlite: the worker asks the parent to run the job in-process (one connection). */
  delegate: boolean
}

export type NotifyLogLevel = 'info' | 'warn' | 'error'

/** Worker → parent. (`'done'` is bree's own completion signal.) */
export type NotifyMessage =
  | { type: 'log'; level: NotifyLogLevel; obj: object; msg: string }
  | { type: 'notified'; counts: NotifyCounts }
  | { type: 'delegate' }

/** Parent → worker: new events were announced. (`'cancel'` is bree's stop signal.) */
export const WAKE = 'wake'
/** Parent → worker, after an in-process (delegated) run. */
export const NOTIFIED = 'notified'

export const isNotifyMessage = (m: unknown): m is NotifyMessage =>
  typeof m === 'object' && m !== null && 'type' in m && typeof m.type === 'string'
