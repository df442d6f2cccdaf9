import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { conflict } from '../../../errors.js'

/**
 * Sandbox only (SANDBOX=1; the route does not exist otherwise): runs the recheck sweep now, with
 * every account due, so a trial can see what the daily sweep does (a revoked demo credential
 * turning `needs_attention`, the notifications it sends) without waiting a day. Any signed-in
 * person may ask: the sandbox holds no real account.
 */
const sandboxRoutes: FastifyPluginAsyncTypebox = async (app) => {
  if (!app.sandbox.enabled) return
  app.post(
    '/sandbox/sweep',
    {
      config: { access: 'user', token: false, audit: false },
      schema: {
        tags: ['sandbox'],
        response: {
          200: Type.Object({
            checked: Type.Integer(),
            ok: Type.Integer(),
            rejected: Type.Integer(),
            unreachable: Type.Integer(),
            deferred: Type.Integer(),
          }),
        },
      },
    },
    async (request) => {
      if (!app.jobs.recheckScheduled)
        throw conflict('The recheck sweep is off (RECHECK_SCHEDULE=off)')
      // Due now: the sweep claims accounts refused or unchecked since this mark.
      await request.em
        .getConnection()
        .execute('update cloud_accounts set recheck_requested_at = now()')
      const counts = await app.jobs.runRecheck()
      return counts
    },
  )
}
export default sandboxRoutes
