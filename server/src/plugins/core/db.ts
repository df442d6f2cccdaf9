import fp from 'fastify-plugin'
import { join } from 'node:path'
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql'
import { createOrmConfig } from '../../db/orm-config.js'
import { migrate } from '../../db/migrate.js'
import { startEmbeddedDatabase } from '../../embedded/pglite.js'

declare module 'fastify' {
  interface FastifyInstance {
    orm: MikroORM
  }
  interface FastifyRequest {
    em: EntityManager
  }
}

/**
 * MikroORM on PostgreSQL, or on embedded PGlite when DATABASE_URL is unset. Migrations are applied
 * before the server accepts traffic, and every request works in its own EntityManager fork.
 */
export default fp(
  async (app) => {
    const { config } = app
    const embedded = config.embedded
      ? await startEmbeddedDatabase(join(config.DATA_DIR, 'pgdata'))
      : null
    const url = embedded?.url ?? (config.DATABASE_URL as string)
    const orm = await MikroORM.init({
      ...createOrmConfig({ url, singleConnection: embedded !== null }),
      logger: (message) => app.log.debug({ orm: true }, message),
    })
    const applied = await migrate(orm, { url, lock: embedded === null })
    if (applied.length > 0) app.log.info({ migrations: applied }, 'database migrated')

    app.decorate('orm', orm)
    // Forked on first use: most reads (a cached session and list) never touch the ORM, and a fork
    // per request, made eagerly, was a tenth of such a request's cost. Code reaches the ORM only
    // through request.em or an explicit fork, never through a global context.
    const forks = new WeakMap<object, EntityManager>()
    app.decorateRequest('em', {
      getter(this: object) {
        let em = forks.get(this)
        if (!em) forks.set(this, (em = orm.em.fork()))
        return em
      },
    })
    app.addHook('onClose', async () => {
      await orm.close()
      await embedded?.close()
    })
  },
  { name: 'db', dependencies: ['config'] },
)
