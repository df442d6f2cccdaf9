import fp from 'fastify-plugin'
import underPressure from '@fastify/under-pressure'
import { Type } from 'typebox'
import { pendingMigrations } from '../../db/migrate.js'

const HealthSchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  checks: Type.Optional(Type.Record(Type.String(), Type.String())),
})

declare module 'fastify' {
  interface FastifyInstance {
    /** Set on SIGTERM: readiness answers 503 so a load balancer stops sending before we close. */
    lifecycle: { draining: boolean }
  }
}

/**
 * Liveness (the process answers) and readiness (the database answers and is fully migrated, and
 * the instance is not draining for shutdown).
 * Readiness is independent of the recheck sweep: a slow provider never makes the app "not ready".
 * @see https://github.com/fastify/under-pressure
 */
export default fp(
  async (app) => {
    await app.register(underPressure, {
      // Thresholds off by default: tests and small machines must not flap on event-loop noise.
      maxEventLoopDelay: 0,
      maxHeapUsedBytes: 0,
      maxRssBytes: 0,
      maxEventLoopUtilization: 0,
    })

    app.decorate('lifecycle', { draining: false })
    // A keep-alive socket whose request was in flight at SIGTERM would otherwise sit open after its
    // answer until the keep-alive timeout, holding the shutdown back; the client reconnects elsewhere.
    app.addHook('onSend', async (_request, reply) => {
      if (app.lifecycle.draining) reply.header('connection', 'close')
    })

    app.get(
      '/health/live',
      { schema: { hide: true, response: { 200: HealthSchema } } },
      async () => ({
        status: 'ok' as const,
      }),
    )

    app.get(
      '/health/ready',
      { schema: { hide: true, response: { 200: HealthSchema, 503: HealthSchema } } },
      async (_request, reply) => {
        const checks: Record<string, string> = {}
        if (app.lifecycle.draining) {
          checks.shutdown = 'draining'
          return reply.code(503).send({ status: 'unavailable', checks })
        }
        try {
          await app.orm.em.fork().getConnection().execute('select 1')
          checks.database = 'ok'
          const pending = await pendingMigrations(app.orm)
          checks.migrations = pending === 0 ? 'ok' : `${pending} pending`
        } catch {
          checks.database ??= 'unreachable'
        }
        const ok = Object.values(checks).every((v) => v === 'ok') && checks.migrations !== undefined
        return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks })
      },
    )
  },
  { name: 'health', dependencies: ['db'] },
)
