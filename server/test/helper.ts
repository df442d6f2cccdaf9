import { randomBytes } from 'node:crypto'
import { Writable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { createTestDatabase } from '@cloudlink/e2e/testing'
import { loadConfig, type Config } from '../src/config.js'
import { buildServer, type BuildOptions } from '../src/build-server.js'

type Test = { teardown(fn: () => unknown): void }

export const TEST_VAULT_KEYS = `test1:${randomBytes(32).toString('base64')}`
export const TEST_JWT_SECRET = randomBytes(48).toString('base64url')

/** A database of this test file's own (shared with the browser journeys: e2e/src/testing). */
export { createTestDatabase }

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
