/** The recheck job as production runs it, and the scratch database the benchmarks run it on. */
import { fork } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import pg from 'pg'
import type { ProviderId } from '@cloudlink/shared'
import { loadConfig } from '../../src/config.js'
import {
  configEnv,
  isRecheckMessage,
  type RecheckWorkerData,
} from '../../src/domain/recheck/protocol.js'
import { workerResourceLimits } from '../../src/domain/recheck/settings.js'
import type { SweepCounts } from '../../src/domain/recheck/sweep.js'

/**
 * The built job file (`pnpm run build` first, as `scripts/cloudlink.sh bench` does).
 * BENCH_SOURCE=src runs the TypeScript source through tsx instead.
 */
const BUILT_JOB = fileURLToPath(new URL('../../dist/jobs/recheck.js', import.meta.url))
export const FROM_SOURCE = process.env.BENCH_SOURCE === 'src' || !existsSync(BUILT_JOB)

/** The worker data the jobs plugin would hand the job, for this database and these simulators. */
export function jobData(
  url: string,
  keys: string,
  origins: Record<string, string>,
  concurrency: number,
): RecheckWorkerData {
  const config = loadConfig({
    DATABASE_URL: url,
    VAULT_KEYS: keys,
    JWT_SECRET: randomBytes(48).toString('base64url'),
    RECHECK_CONCURRENCY: String(concurrency),
  })
  return { env: configEnv(config), origins, delegate: false }
}

/** Runs the real job file in a worker thread, limited as the jobs plugin limits it. */
export function runJob(data: RecheckWorkerData, inFlight: number): Promise<SweepCounts> {
  const resourceLimits = workerResourceLimits(inFlight)
  const worker = FROM_SOURCE
    ? new Worker(fileURLToPath(new URL('../../src/jobs/recheck.ts', import.meta.url)), {
        workerData: data,
        resourceLimits,
        execArgv: ['--import', import.meta.resolve('tsx')],
      })
    : new Worker(BUILT_JOB, { workerData: data, resourceLimits, execArgv: [] })
  return new Promise((resolve, reject) => {
    let counts: SweepCounts | undefined
    worker.on('message', (message: unknown) => {
      if (message === 'done') void worker.terminate()
      if (!isRecheckMessage(message)) return
      if (message.type === 'sweep') counts = message.counts
      if (message.type === 'log' && message.level !== 'info')
        console.error(message.msg, message.obj)
    })
    worker.once('error', reject)
    worker.once('exit', () => (counts ? resolve(counts) : reject(new Error('no sweep result'))))
  })
}

/** One statement on its own connection: the benchmarks' look-ups between runs. */
async function queryOnce<R extends object>(url: string, sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<R>(sql, params)).rows
  } finally {
    await client.end()
  }
}

/** Per provider, from the check history since `since`: the lane's span and a check's latency. */
export async function laneStats(url: string, since: Date) {
  const rows = await queryOnce<{ provider: ProviderId; avg: number; span: number }>(
    url,
    `select a.provider, avg(c.latency_ms)::float as avg,
            extract(epoch from max(c.at) - min(c.at)) * 1000 as span
       from checks c join cloud_accounts a on a.id = c.account_id
      where c.trigger = 'scheduled' and c.at >= $1 group by a.provider`,
    [since],
  )
  return new Map(rows.map((r) => [r.provider, { avgMs: r.avg, spanMs: Number(r.span) }]))
}

/** Settings of the database server by name (the sweep prints autovacuum's), in one round trip. */
export async function serverSettings(url: string, names: string[]): Promise<string[]> {
  const rows = await queryOnce<{ value: string }>(
    url,
    `select current_setting(name) as value from unnest($1::text[]) with ordinality as s(name, n) order by n`,
    [names],
  )
  return rows.map((r) => r.value)
}

/** A throwaway database on BENCH_DATABASE_URL's (or TEST_DATABASE_URL's) server, and a vault key. */
export async function scratchDatabase(bench: string) {
  const server = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL
  if (!server) {
    console.error(`bench/${bench}: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to PostgreSQL`)
    process.exit(64)
  }
  const name = `cloudlink_bench_${randomUUID().replace(/-/g, '')}`
  const url = new URL(server)
  url.pathname = `/${name}`
  await queryOnce(server, `create database ${name}`)
  return {
    url: url.toString(),
    keys: `bench:${randomBytes(32).toString('base64')}`,
    drop: async () => {
      await queryOnce(server, `drop database if exists ${name} with (force)`)
    },
  }
}

/** `10000,50000` → [10000, 50000]; a bad list fails before anything starts. */
export function numberList(value: string | undefined, fallback: number[]): number[] {
  if (!value) return fallback
  const list = value.split(',').map((v) => Number(v.trim().replace(/_/g, '')))
  if (list.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`bad list: ${value}`)
  return list
}

interface JobAnswer {
  counts: SweepCounts
  /** The job process's peak resident set, bytes. */
  maxRss: number
  /** CPU time the job process used, all its threads, user + system, ms. */
  cpuMs: number
}

/** One sweep in a fresh process (`--job`): its peak RSS is the job's, not this driver's. */
export async function sweepInProcess(
  data: RecheckWorkerData,
  inFlight: number,
): Promise<JobAnswer> {
  const child = fork(fileURLToPath(import.meta.url), ['--job'])
  const exited = once(child, 'exit')
  child.send({ data, inFlight })
  const [answer] = (await once(child, 'message')) as [JobAnswer | { error: string }]
  await exited
  if ('error' in answer) throw new Error(answer.error)
  return answer
}

async function jobProcess() {
  const [m] = (await once(process, 'message')) as [{ data: RecheckWorkerData; inFlight: number }]
  try {
    const counts = await runJob(m.data, m.inFlight)
    const { user, system } = process.cpuUsage()
    process.send?.({
      counts,
      maxRss: process.resourceUsage().maxRSS * 1024,
      cpuMs: (user + system) / 1000,
    })
  } catch (err: unknown) {
    process.send?.({ error: String(err) })
  }
  process.disconnect()
}

if (process.argv[2] === '--job') await jobProcess()

/**
 * CPU time PostgreSQL's processes have used so far, ms (Linux /proc; undefined elsewhere or when
 * the server is not on this machine): live backends' own time plus what the postmaster collected
 * from backends that have exited. The difference across a sweep shows what the database cost.
 */
export async function postgresCpuMs(): Promise<number | undefined> {
  const tick = 100 // USER_HZ on Linux
  try {
    let total = 0
    let found = false
    for (const pid of await readdir('/proc')) {
      if (!/^\d+$/.test(pid)) continue
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      if (!name.startsWith('postgres')) continue
      found = true
      // Fields after the name: state is 3rd; utime 14th, stime 15th, cutime 16th, cstime 17th.
      const f = stat
        .slice(stat.lastIndexOf(')') + 2)
        .split(' ')
        .map(Number)
      total += (f[11] ?? 0) + (f[12] ?? 0) + (f[13] ?? 0) + (f[14] ?? 0)
    }
    return found ? (total * 1000) / tick : undefined
  } catch {
    return undefined
  }
}
