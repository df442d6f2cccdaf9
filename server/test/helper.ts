import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import pg from 'pg'
import type { FastifyInstance } from 'fastify'
import { loadConfig, type Config } from '../src/config.js'
import { buildServer, type BuildOptions } from '../src/build-server.js'

type Test = { teardown(fn: () => unknown): void }

export const TEST_VAULT_KEYS = `test1:${randomBytes(32).toString('base64')}`
export const TEST_JWT_SECRET = randomBytes(48).toString('base64url')

/**
 * A database of this test file's own: a fresh database on TEST_DATABASE_URL's server, or a fresh
 * embedded PGlite directory. Files therefore run in parallel without seeing each other's rows.
 */
export async function createTestDatabase(t: Test): Promise<{ env: Record<string, string> }> {
  const server = process.env.TEST_DATABASE_URL
  if (!server) {
    const dir = await mkdtemp(join(tmpdir(), 'cloudlink-test-'))
    t.teardown(() => rm(dir, { recursive: true, force: true }))
    return { env: { DATA_DIR: dir } }
  }
  const name = `cloudlink_test_${randomUUID().replace(/-/g, '')}`
  const admin = new pg.Client({ connectionString: server })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  t.teardown(async () => {
    const c = new pg.Client({ connectionString: server })
    await c.connect()
    await c.query(`drop database if exists ${name} with (force)`)
    await c.end()
  })
  const url = new URL(server)
  url.pathname = `/${name}`
  return { env: { DATABASE_URL: url.toString() } }
}

export function testConfig(
  env: Record<string, string>,
  overrides: Record<string, string> = {},
): Config {
  return loadConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    VAULT_KEYS: TEST_VAULT_KEYS,
    JWT_SECRET: TEST_JWT_SECRET,
    PROVIDER_TIMEOUT_MS: '2000',
    ...env,
    ...overrides,
  })
}

export interface TestApp {
  app: FastifyInstance
  /** Every log line the app wrote (JSON), for leak checks. */
  logs: string[]
  env: Record<string, string>
}

/** Builds the whole app on a real database and closes it when the test ends. */
export async function build(
  t: Test,
  opts: {
    env?: Record<string, string>
    config?: Record<string, string>
    app?: Partial<BuildOptions>
  } = {},
): Promise<TestApp> {
  const env = opts.env ?? (await createTestDatabase(t)).env
  const logs: string[] = []
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk))
      cb()
    },
  })
  const config = testConfig(env, { LOG_LEVEL: 'info', ...opts.config })
  const app = await buildServer({ config, logStream, webRoot: null, ...opts.app })
  await app.ready()
  t.teardown(() => app.close())
  // TEST_LOGS=1 shows the app's error lines, the quickest way to see why a test got a 500.
  if (process.env.TEST_LOGS)
    t.teardown(() => {
      for (const line of logs) if (/"level":(50|60)/.test(line)) process.stderr.write(line)
    })
  return { app, logs, env }
}
