import t from 'tap'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import { migrationsList } from '../src/db/migrations/index.js'
import { build, createTestDatabase } from './helper.js'

// Starts embedded PGlite twice whatever the mode; each start-up runs initdb or recovery, slow on a
// busy machine, so tap's 120 s default for one file is too tight.
t.setTimeout(5 * 60_000)

const query = <T>(app: FastifyInstance, sql: string) =>
  app.orm.em.fork().getConnection().execute<T[]>(sql)

const expectHealthy = async (t: Test, app: FastifyInstance) => {
  const ready = await app.inject({ url: '/health/ready' })
  t.equal(ready.statusCode, 200, `ready: ${ready.body}`)
  t.match(ready.json(), { status: 'ok' })
}

t.test('migrations create every table on a blank database', async (t) => {
  const { app } = await build(t)
  const rows = await query<{ table_name: string }>(
    app,
    `select table_name from information_schema.tables where table_schema = 'public'`,
  )
  const tables = new Set(rows.map((row) => row.table_name))
  const entityTables = [...app.orm.getMetadata().getAll().values()].map((meta) => meta.tableName)
  t.ok(entityTables.length >= 10, `every entity is registered (${entityTables.length})`)
  for (const table of entityTables) t.ok(tables.has(table), `table ${table} exists`)
  const applied = await query<{ name: string }>(app, 'select name from mikro_orm_migrations')
  t.same(
    applied.map((row) => row.name),
    migrationsList.map((m) => m.name),
    'every migration is recorded once',
  )

  await expectHealthy(t, app)
  const live = await app.inject({ url: '/health/live' })
  t.equal(live.statusCode, 200)
  t.same(live.json(), { status: 'ok' })
})

t.test(
  'two instances starting together on one blank database both become ready',
  // The migration lock is a PostgreSQL advisory lock; embedded PGlite belongs to one process.
  { skip: process.env.TEST_DATABASE_URL ? false : 'needs TEST_DATABASE_URL (a PostgreSQL server)' },
  async (t) => {
    const { env } = await createTestDatabase(t)
    const instances = await Promise.all([build(t, { env }), build(t, { env })])
    for (const { app } of instances) {
      await expectHealthy(t, app)
      const applied = await query<{ name: string }>(app, 'select name from mikro_orm_migrations')
      t.equal(applied.length, migrationsList.length, 'no migration ran twice')
    }
  },
)

t.test('concurrent first-run setups create exactly one owner', async (t) => {
  const { app } = await build(t)
  const setup = (i: number) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: {
        email: `founder${i}@example.test`,
        password: 'a long enough password',
        name: `Founder ${i}`,
        workspaceName: `Founders ${i}`,
      },
    })
  const results = await Promise.all([setup(1), setup(2), setup(3)])
  t.same(results.map((r) => r.statusCode).sort(), [201, 409, 409])
  const users = await query<{ n: number }>(app, 'select count(*)::int as n from users')
  t.equal(users[0]?.n, 1)
})

t.test('embedded mode keeps its data across a restart', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cloudlink-embedded-'))
  t.teardown(() => rm(dataDir, { recursive: true, force: true }))
  const owner = {
    email: 'first@example.test',
    password: 'a long enough password',
    name: 'First Owner',
    workspaceName: 'First',
  }

  const first = await build(t, { env: { DATA_DIR: dataDir } })
  t.notOk(first.app.config.DATABASE_URL, 'no DATABASE_URL: the embedded database is used')
  const setup = await first.app.inject({ method: 'POST', url: '/api/v1/setup', payload: owner })
  t.equal(setup.statusCode, 201)
  await first.app.close()

  const second = await build(t, { env: { DATA_DIR: dataDir } })
  t.same((await second.app.inject({ url: '/api/v1/setup' })).json(), { needed: false })
  const login = await second.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: owner.email, password: owner.password },
  })
  t.equal(login.statusCode, 200, 'the owner created before the restart can sign in')
  await expectHealthy(t, second.app)
})
