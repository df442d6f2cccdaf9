import fp from 'fastify-plugin'
import { SUDO_WINDOW_MINUTES } from '@cloudlink/shared'
import { reauthRequired } from '../../errors.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Sudo mode: the route needs the person's password or a code of their second factor confirmed
     * within the last 10 minutes (`POST /auth/reauth`; a fresh sign-in counts), else 403
     * REAUTH_REQUIRED. People only: such a route must set `token: false`.
     */
    sudo?: boolean
  }
}

const WINDOW_MS = SUDO_WINDOW_MINUTES * 60 * 1000

/**
 * Enforces `config.sudo` after access control and validation (a refused caller or a bad body gets
 * that answer first, so the SPA asks for the password only when the action would go ahead), and
 * before the audit trail is armed: a request sent back for confirmation is no attempt yet. The
 * session's confirmation time is read with the session itself, from the database on every write.
 */
export default fp(
  async (app) => {
    app.addHook('onRoute', (route) => {
      if (!route.config?.sudo) return
      const name = `${[route.method].flat().join(',')} ${route.url}`
      if (route.config.token !== false || route.config.access === 'public')
        throw new Error(
          `${name}: config.sudo is for people: set token: false and a signed-in access`,
        )
      route.preHandler = [
        ...(route.preHandler ? [route.preHandler].flat() : []),
        async (request) => {
          const session = request.session
          if (!session || Date.now() - session.reauthAt > WINDOW_MS) throw reauthRequired()
        },
      ]
    })
  },
  { name: 'sudo', dependencies: ['auth', 'rbac'] },
)
