import t, { type Test } from 'tap'
import { connect, createServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { MikroORM } from '@mikro-orm/postgresql'
import { createOrmConfig } from '../src/db/orm-config.js'
import { createTestDatabase } from './helper.js'

const CONNECT_DELAY_MS = 300
const CLOSE_LIMIT_MS = 15_000

/** A loopback TCP relay to PostgreSQL that holds every new connection back for a moment. */
async function slowRelay(t: Test, target: URL) {
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    sockets.add(client)
    client.pause()
    setTimeout(() => {
      const upstream = connect(Number(target.port || 5432), target.hostname)
      sockets.add(upstream)
      client.pipe(upstream).pipe(client)
      client.resume()
      const end = () => {
        client.destroy()
        upstream.destroy()
      }
      client.on('error', end).on('close', end)
      upstream.on('error', end).on('close', end)
    }, CONNECT_DELAY_MS)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    for (const s of sockets) s.destroy()
    return new Promise<void>((resolve) => server.close(() => resolve()))
  })
  const url = new URL(target)
  url.hostname = '127.0.0.1'
  url.port = String((server.address() as AddressInfo).port)
  return url.toString()
}

/**
 * Closing the ORM while queries wait for connections still being opened must end. Those
 * connections are handed out after the pool began to close; one that is never given back makes
 * `pool.end()` wait for ever (kysely 0.29.6 did that), and a shutdown, a worker or a test teardown
 * hangs. The waiting queries may fail; the close must not wait on them for ever.
 */
t.test('the ORM closes while queries wait for new connections', async (t) => {
  const { env } = await createTestDatabase(t)
  if (!env.DATABASE_URL) {
    t.skip('needs PostgreSQL (TEST_DATABASE_URL): embedded PGlite has one connection')
    return
  }
  const url = await slowRelay(t, new URL(env.DATABASE_URL))
  const orm = await MikroORM.init(createOrmConfig({ url, singleConnection: false }))
  // More queries than idle connections: the pool opens new ones, each held back by the relay.
  const queries = Array.from({ length: 4 }, () =>
    orm.em
      .fork()
      .execute('select 1')
      .catch(() => undefined),
  )
  await sleep(CONNECT_DELAY_MS / 3)
  let timer: NodeJS.Timeout | undefined
  const outcome = await Promise.race([
    orm.close().then(() => 'closed'),
    new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve('still closing'), CLOSE_LIMIT_MS)
    }),
  ])
  clearTimeout(timer)
  t.equal(outcome, 'closed', 'the close ends')
  // Each waiting query ends too, answered or refused (a hang here is tap's timeout).
  await Promise.all(queries)
})
