import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { Config } from './config.js'
import configPlugin from './plugins/core/config.js'
import dbPlugin from './plugins/core/db.js'
import changeFeedPlugin from './plugins/core/change-feed.js'
import readCachePlugin, { type ReadCacheOptions } from './plugins/core/read-cache.js'
import rateLimitPlugin from './plugins/external/rate-limit.js'
import errorsPlugin from './plugins/core/errors.js'
import validationPlugin from './plugins/core/validation.js'
import authPlugin from './plugins/core/auth.js'
import passwordsPlugin from './plugins/core/passwords.js'
import mailerPlugin from './plugins/core/mailer.js'
import type { HashingLimits } from './domain/auth/password.js'
import rbacPlugin from './plugins/core/rbac.js'
import sudoPlugin from './plugins/core/sudo.js'
import auditPlugin from './plugins/core/audit.js'
import healthPlugin from './plugins/core/health.js'
import swaggerPlugin from './plugins/external/swagger.js'
import spaPlugin from './plugins/external/spa.js'
import helmetPlugin from './plugins/external/helmet.js'
import vaultPlugin from './plugins/core/vault.js'
import upgradesPlugin from './plugins/core/upgrades.js'
import providersPlugin from './plugins/core/providers.js'
import sandboxPlugin from './plugins/core/sandbox.js'
import jobsPlugin, { type JobsOptions } from './plugins/core/jobs.js'
import cloudAccountsRoutes from './routes/api/v1/cloud-accounts.js'
import providersRoutes from './routes/api/v1/providers.js'
import setupRoutes from './routes/api/v1/setup.js'
import authRoutes, { DEFAULT_LOGIN_LIMITS, type LoginLimits } from './routes/api/v1/auth.js'
import membersRoutes from './routes/api/v1/members.js'
import invitationsRoutes from './routes/api/v1/invitations.js'
import auditRoutes from './routes/api/v1/audit.js'
import workspacesRoutes from './routes/api/v1/workspaces.js'
import oauthRoutes from './routes/api/v1/oauth.js'
import brokerRoutes from './routes/api/v1/broker.js'
import apiTokensRoutes from './routes/api/v1/api-tokens.js'
import meRoutes from './routes/api/v1/me.js'
import mfaRoutes from './routes/api/v1/mfa.js'
import passwordResetsRoutes from './routes/api/v1/password-resets.js'
import securityLimitsPlugin, { type SecurityLimitOptions } from './plugins/core/security-limits.js'
import webhooksRoutes from './routes/api/v1/webhooks.js'
import notificationsRoutes from './routes/api/v1/notifications.js'
import sandboxRoutes from './routes/api/v1/sandbox.js'

export interface AppOptions {
  config: Config
  loginLimits?: Partial<LoginLimits>
  /** Directory of the built SPA; unset serves a plain first-run page. */
  webRoot?: string | null
  readCache?: ReadCacheOptions
  /** How many password hashes run at once and wait; defaults fit libuv's four pool threads. */
  passwordHashing?: HashingLimits
  /** Wrong codes and passwords a signed-in person may send (see security-limits.ts). */
  securityLimits?: SecurityLimitOptions
  /** Pacing of notification delivery (backoff, deadlines); tests shorten it. */
  notify?: JobsOptions['notify']
}

/** The whole application as one plugin: server.ts and the tests register exactly this. */
async function app(instance: FastifyInstance, opts: AppOptions) {
  await instance.register(configPlugin, { config: opts.config })
  await instance.register(helmetPlugin)
  await instance.register(rateLimitPlugin)
  await instance.register(errorsPlugin)
  await instance.register(validationPlugin)
  await instance.register(swaggerPlugin)
  await instance.register(dbPlugin)
  await instance.register(changeFeedPlugin)
  await instance.register(readCachePlugin, opts.readCache ?? {})
  await instance.register(authPlugin)
  await instance.register(
    passwordsPlugin,
    opts.passwordHashing ? { limits: opts.passwordHashing } : {},
  )
  await instance.register(rbacPlugin)
  await instance.register(securityLimitsPlugin, opts.securityLimits ?? {})
  await instance.register(mailerPlugin)
  // Before audit: its check must run ahead of the audit trail's (see sudo.ts).
  await instance.register(sudoPlugin)
  await instance.register(auditPlugin)
  await instance.register(healthPlugin)
  await instance.register(vaultPlugin)
  await instance.register(upgradesPlugin)
  await instance.register(providersPlugin)
  await instance.register(sandboxPlugin)
  await instance.register(jobsPlugin, opts.notify ? { notify: opts.notify } : {})

  await instance.register(
    async (api) => {
      await api.register(setupRoutes)
      await api.register(authRoutes, {
        loginLimits: { ...DEFAULT_LOGIN_LIMITS, ...opts.loginLimits },
      })
      await api.register(workspacesRoutes)
      await api.register(membersRoutes)
      await api.register(invitationsRoutes)
      await api.register(auditRoutes)
      await api.register(providersRoutes)
      await api.register(cloudAccountsRoutes)
      await api.register(oauthRoutes)
      await api.register(brokerRoutes)
      await api.register(apiTokensRoutes)
      await api.register(meRoutes)
      await api.register(mfaRoutes)
      await api.register(passwordResetsRoutes)
      await api.register(webhooksRoutes)
      await api.register(notificationsRoutes)
      await api.register(sandboxRoutes)
    },
    { prefix: '/api/v1' },
  )
  await instance.register(spaPlugin, { root: opts.webRoot ?? null })
}

export default fp(app, { name: 'cloudlink' })
