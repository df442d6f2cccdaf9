import { randomInt } from 'node:crypto'
import type { MikroORM } from '@mikro-orm/postgresql'
import type Bree from 'bree'
import { ConfigError } from '../../config.js'

export interface RecheckSchedule {
  /** Bree job fields: `cron` or `interval`, plus `timeout` for a catch-up run. */
  job: Pick<Bree.JobOptions, 'cron' | 'interval' | 'timeout' | 'timezone'>
  /** For the log, e.g. `daily at 03:17 UTC`. */
  label: string
}

const CRON = /^[\d*/,?LW#-]+(\s+[\d*/,?LW#-]+){4,5}$/

/** A daily sweep this long after the last one has been missed (the app was down at its time). */
const OVERDUE_MS = 25 * 60 * 60 * 1000

async function stateValue(orm: MikroORM, key: string): Promise<unknown> {
  const rows = await orm.em
    .fork()
    .execute<{ value: unknown }[]>(`select value from app_state where key = ?`, [key])
  return rows[0]?.value
}

/**
 * The installation's minute of the day for the sweep: random, so a fleet of installations does not
 * call the providers at the same minute, and stored, so restarts and every instance sharing the
 * database agree on it (the instances then split the sweep between them).
 */
async function dailySlot(orm: MikroORM): Promise<number> {
  await orm.em.fork().execute(
    `insert into app_state (key, value, updated_at) values ('recheckSlot', ?::jsonb, ?)
       on conflict (key) do nothing`,
    [JSON.stringify({ minute: randomInt(24 * 60) }), new Date()],
  )
  const value = (await stateValue(orm, 'recheckSlot')) as { minute?: unknown } | undefined
  const minute = Number(value?.minute)
  return Number.isInteger(minute) && minute >= 0 && minute < 24 * 60 ? minute : 0
}

/**
 * RECHECK_SCHEDULE: `daily` (default; the stored jittered minute, plus a catch-up run a few minutes
 * after start when the last sweep is overdue, e.g. on a laptop that was off), `off`, a cron pattern
 * (`0 3 * * *`), or anything bree's `interval` takes (`every 6 hours`, `every 1 second`).
 */
export async function resolveSchedule(
  orm: MikroORM,
  value: string,
): Promise<RecheckSchedule | null> {
  const schedule = value.trim()
  if (schedule === 'off') return null
  if (schedule === 'daily') {
    const minute = await dailySlot(orm)
    const last = await stateValue(orm, 'lastSweepAt')
    const overdue = typeof last !== 'string' || Date.now() - Date.parse(last) > OVERDUE_MS
    const hh = String(Math.floor(minute / 60)).padStart(2, '0')
    const mm = String(minute % 60).padStart(2, '0')
    return {
      job: {
        cron: `${minute % 60} ${Math.floor(minute / 60)} * * *`,
        timezone: 'UTC',
        ...(overdue ? { timeout: randomInt(2 * 60_000, 10 * 60_000) } : {}),
      },
      label: `daily at ${hh}:${mm} UTC${overdue ? ', catching up shortly' : ''}`,
    }
  }
  if (CRON.test(schedule)) return { job: { cron: schedule }, label: `cron ${schedule}` }
  return { job: { interval: schedule }, label: schedule }
}

/** Bree's validation error, reworded to name the variable (it fails the boot). */
export const scheduleError = (value: string, err: unknown) =>
  new ConfigError(
    'RECHECK_SCHEDULE',
    `"${value}" is not "daily", "off", a cron pattern or an interval such as "every 6 hours" (${
      err instanceof Error ? err.message.split('\n')[0] : String(err)
    })`,
  )
