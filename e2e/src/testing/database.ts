import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'

/** The part of a tap test this needs; any test runner's teardown hook fits. */
export interface Teardown {
  teardown(fn: () => unknown): void
}

/**
 * A database of the calling test's own: a fresh database on TEST_DATABASE_URL's server, or a fresh
 * embedded PGlite directory. Test files therefore run in parallel without seeing each other's
 * rows; the database (or directory) is dropped when the test ends. Shared by the server's tests
 * and the browser journeys, which start the real server on it.
 */
export async function createTestDatabase(t: Teardown): Promise<{ env: Record<string, string> }> {
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
