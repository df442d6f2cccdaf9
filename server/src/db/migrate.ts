import type { MikroORM } from '@mikro-orm/postgresql'
import pg from 'pg'

/** Arbitrary but fixed: every Cloudlink instance contends for the same lock. */
const MIGRATION_LOCK_KEY = 727_001

/**
 * Applies pending migrations. On a shared PostgreSQL two instances may start together, so the
 * migrator runs under a session advisory lock held on a dedicated connection; the second instance
 * waits, then finds nothing pending. Embedded PGlite belongs to one process, so it needs no lock.
 */
export async function migrate(
  orm: MikroORM,
  opts: { url: string; lock: boolean },
): Promise<string[]> {
  const migrator = orm.migrator
  if (!opts.lock) return (await migrator.up()).map((m) => m.name)
  const client = new pg.Client({ connectionString: opts.url })
  await client.connect()
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
    return (await migrator.up()).map((m) => m.name)
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined)
    await client.end()
  }
}

export async function pendingMigrations(orm: MikroORM): Promise<number> {
  return (await orm.migrator.getPending()).length
}
