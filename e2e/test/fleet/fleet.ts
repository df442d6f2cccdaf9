import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import type { ProviderId } from '@cloudlink/shared'
import { startSimulators, type Simulator } from '../../src/simulators/index.js'
import { databaseEnv, freePort, type Test } from '../browser/harness.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..')

/** One real server process of the fleet: `node server/dist/server.js`, as the image runs it. */
export interface Instance {
  name: string
  url: string
  child: ChildProcess
  logs: string[]
  /** Sends the signal and waits for the exit; resolves with the exit code (null for a kill). */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

export interface Fleet {
  env: Record<string, string>
  sims: Map<ProviderId, Simulator>
  instances: Instance[]
  /** A new instance on the same database, Redis and simulators (a restart after a kill). */
  start(name: string, extra?: Record<string, string>): Promise<Instance>
  sql<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>
}

/** Redis database the fleet tests use; flushed at the start of each fleet. */
const REDIS_DB = 7

/**
 * N server processes on one PostgreSQL database and one Redis, all on loopback, pointed at one
 * set of provider simulators in this process (so the tests see every provider request).
 */
export async function startFleet(
  t: Test,
  n: number,
  extra: Record<string, string> = {},
  providers: ProviderId[] = ['hetzner-cloud', 'digitalocean'],
): Promise<Fleet> {
  if (!process.env.TEST_DATABASE_URL) throw new Error('fleet tests need TEST_DATABASE_URL')
  const redisBase = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
  const redisUrl = `${redisBase.replace(/\/\d*$/, '')}/${REDIS_DB}`
  await flushRedis(redisUrl)
  const db = await databaseEnv(t)
  const sims = await startSimulators(providers)
  t.teardown(() => Promise.all([...sims.values()].map((s) => s.close())))
  const env: Record<string, string> = {
    DATABASE_URL: db.DATABASE_URL!,
    VAULT_KEYS: db.VAULT_KEYS!,
    JWT_SECRET: db.JWT_SECRET!,
    REDIS_URL: redisUrl,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    RECHECK_SCHEDULE: 'off',
    ...Object.fromEntries(
      [...sims].map(([id, sim]) => [
        `PROVIDER_URL_${id.toUpperCase().replace(/-/g, '_')}`,
        sim.url,
      ]),
    ),
    ...extra,
  }
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 2 })
  t.teardown(() => pool.end())
  const instances: Instance[] = []
  const start = async (name: string, more: Record<string, string> = {}) => {
    const instance = await startInstance(t, name, { ...env, ...more })
    instances.push(instance)
    return instance
  }
  await Promise.all(Array.from({ length: n }, (_, i) => start(`i${i + 1}`)))
  return {
    env,
    sims,
    instances,
    start,
    sql: async <T>(text: string, values: unknown[] = []) =>
      (await pool.query(text, values)).rows as T[],
  }
}

async function startInstance(
  t: Test,
  name: string,
  env: Record<string, string>,
): Promise<Instance> {
  const port = String(await freePort())
  const child = spawn(process.execPath, [join(root, 'server/dist/server.js')], {
    env: { ...process.env, ...env, PORT: port, PUBLIC_URL: `http://127.0.0.1:${port}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const logs: string[] = []
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  )
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    return exited
  }
  t.teardown(() => stop('SIGKILL'))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start:\n${logs.join('')}`)),
      90_000,
    )
    const onData = (chunk: Buffer) => {
      const text = chunk.toString()
      logs.push(text)
      const match = /running at (http:\/\/[^\s]+)/.exec(text)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`${name} exited with ${code}:\n${logs.join('')}`))
    })
  })
  return { name, url, child, logs, stop }
}

/** Empties the fleet's Redis database (rate-limit counters of an earlier run). */
async function flushRedis(url: string): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    execFile('redis-cli', ['-u', url, 'flushdb'], (err) => (err ? reject(err) : resolve())),
  )
}

/** A JSON API call; `token` as Bearer. */
export async function api(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read field by field in asserts
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : null }
}

/** Polls `probe` until it returns true; resolves with the milliseconds it took (or throws). */
export async function within(ms: number, probe: () => Promise<boolean>): Promise<number> {
  const started = performance.now()
  for (;;) {
    if (await probe()) return performance.now() - started
    if (performance.now() - started > ms) throw new Error(`not within ${ms} ms`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** First-run setup on one instance: the owner's token and workspace id. */
export async function setUp(
  base: string,
): Promise<{ token: string; workspaceId: string; email: string; password: string }> {
  const email = `owner-${Date.now()}@example.test`
  const password = 'correct horse battery staple'
  const res = await api(base, 'POST', '/api/v1/setup', {
    body: { email, password, name: 'Fleet Owner', workspaceName: 'Fleet' },
  })
  if (res.status !== 201) throw new Error(`setup: ${res.status} ${JSON.stringify(res.body)}`)
  return { token: res.body.token, workspaceId: res.body.workspace.id, email, password }
}
