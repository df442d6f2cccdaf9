import { PGlite } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import { mkdir } from 'node:fs/promises'

export interface EmbeddedDatabase {
  url: string
  close(): Promise<void>
}

/**
 * Serves PGlite over the PostgreSQL wire protocol on loopback, so the embedded default uses the same
 * `pg` driver and SQL as a real server. `dataDir` undefined keeps it in memory (tests).
 */
export async function startEmbeddedDatabase(dataDir?: string): Promise<EmbeddedDatabase> {
  if (dataDir) await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const db = await PGlite.create(dataDir)
  // PGlite is a single backend session: every socket connection shares it, so transactions from two
  // connections would interleave. The ORM pool is therefore one connection (see orm-config.ts).
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 })
  await server.start()
  const conn = server.getServerConn()
  return {
    url: `postgresql://postgres:postgres@${conn}/postgres?sslmode=disable`,
    async close() {
      await server.stop()
      await db.close()
    },
  }
}
