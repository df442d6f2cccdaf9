import { defineConfig } from '@mikro-orm/postgresql'
import { Migrator } from '@mikro-orm/migrations'
import { entities } from './entities/index.js'
import { migrationsList } from './migrations/index.js'

export interface OrmOptions {
  url: string
  /** Embedded PGlite is one backend session, so it must be driven through exactly one connection. */
  singleConnection: boolean
  debug?: boolean
}

export const createOrmConfig = ({ url, singleConnection }: OrmOptions) =>
  defineConfig({
    clientUrl: url,
    entities,
    extensions: [Migrator],
    pool: singleConnection ? { min: 1, max: 1 } : { min: 0, max: 10 },
    // Migrations are listed explicitly so the same code runs from src (tsx) and dist (node).
    migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false },
    // Requests get their own fork through RequestContext; a stray global use is a bug.
    allowGlobalContext: false,
    ensureDatabase: false,
    discovery: { warnWhenNoEntities: false },
  })
