import fp from 'fastify-plugin'
import pg from 'pg'

export const CHANGES_CHANNEL = 'cloudlink_changes'
const HEARTBEAT_MS = 15_000
const HEARTBEAT_TIMEOUT_MS = 5_000
const RECONNECT_MS = { first: 500, max: 30_000 }

export interface ChangeFeed {
  /**
   * True while the LISTEN connection is up: only then may anything be cached on the strength of
   * "we would have heard". Embedded PGlite has no feed, so it is never live there.
   */
  readonly live: boolean
  /**
   * Called with each payload: `w:<workspace>`, `s:<jti>`, `m:<user id>`, `u:<user id>`,
   * `t:<API token id>` (revoked or deleted) or `n:` (new notification events).
   */
  onChange(listener: (payload: string) => void): void
  /** Called whenever the feed goes down or comes back: anything cached may have missed changes. */
  onReset(listener: () => void): void
  /**
   * Resolves once every change committed before the call has been delivered: a round trip on the
   * LISTEN connection, whose server sends pending notifications before the query's answer.
   */
  sync(): Promise<void>
}

declare module 'fastify' {
  interface FastifyInstance {
    changeFeed: ChangeFeed
  }
}

/**
 * The database's change announcements (NOTIFY on `cloudlink_changes`, sent by the triggers of
 * Migration20261127160000 and Migration20261208100000) on one dedicated connection. It reconnects with backoff and checks
 * itself with a heartbeat, because a silently dead connection would otherwise look like a quiet one.
 */
export default fp(
  async (app) => {
    const changeListeners: ((payload: string) => void)[] = []
    const resetListeners: (() => void)[] = []
    let client: pg.Client | null = null
    let live = false
    let closing = false
    let retryMs = RECONNECT_MS.first
    let reconnectTimer: NodeJS.Timeout | undefined

    const setLive = (next: boolean) => {
      if (live === next) return
      live = next
      for (const listener of resetListeners) listener()
    }

    const drop = (reason: unknown) => {
      if (!client) return
      const dead = client
      client = null
      setLive(false)
      dead.removeAllListeners('notification')
      dead.end().catch(() => undefined)
      if (closing) return
      app.log.warn({ err: reason }, 'change feed lost; read caches are off until it is back')
      reconnectTimer = setTimeout(() => void connect(), retryMs)
      retryMs = Math.min(retryMs * 2, RECONNECT_MS.max)
    }

    const connect = async () => {
      if (closing) return
      const next = new pg.Client({
        connectionString: app.config.DATABASE_URL as string,
        keepAlive: true,
        application_name: 'cloudlink-change-feed',
      })
      next.on('error', (err) => drop(err))
      next.on('end', () => drop(new Error('connection ended')))
      next.on('notification', (message) => {
        if (message.channel !== CHANGES_CHANNEL || !message.payload) return
        for (const listener of changeListeners) listener(message.payload)
      })
      try {
        await next.connect()
        await next.query(`listen ${CHANGES_CHANNEL}`)
      } catch (err: unknown) {
        client = next
        drop(err)
        return
      }
      if (closing) return void (await next.end().catch(() => undefined))
      client = next
      retryMs = RECONNECT_MS.first
      setLive(true)
    }

    const heartbeat = setInterval(() => {
      const current = client
      if (!current) return
      const timeout = setTimeout(() => drop(new Error('heartbeat timed out')), HEARTBEAT_TIMEOUT_MS)
      current
        .query('select 1')
        .catch((err: unknown) => drop(err))
        .finally(() => clearTimeout(timeout))
    }, HEARTBEAT_MS)
    heartbeat.unref()

    const feed: ChangeFeed = {
      get live() {
        return live
      },
      onChange: (listener) => void changeListeners.push(listener),
      onReset: (listener) => void resetListeners.push(listener),
      async sync() {
        await client?.query('select 1')
      },
    }
    app.decorate('changeFeed', feed)

    if (!app.config.embedded) await connect()
    app.addHook('onClose', async () => {
      closing = true
      clearInterval(heartbeat)
      clearTimeout(reconnectTimer)
      const current = client
      client = null
      live = false
      await current?.end().catch(() => undefined)
    })
  },
  { name: 'change-feed', dependencies: ['config', 'db'] },
)
