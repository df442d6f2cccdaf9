import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  AccountAlertListSchema,
  NotificationSettingsSchema,
  UpdateNotificationSettingsBodySchema,
  WorkspaceParamsSchema,
} from '@cloudlink/shared'
import { accountAlerts } from '../../../domain/notifications/alerts.js'
import { emailEnabled, setEmailEnabled } from '../../../domain/notifications/preferences.js'

/**
 * The signed-in owner's own notification settings, and who was told about which account (an
 * extension of the contract's Notifications section, for the settings tab and the accounts page).
 */
const notificationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const base = '/workspaces/:workspaceId/notifications'
  const tags = ['notifications']

  app.get(
    `${base}/settings`,
    {
      config: { access: 'owner', token: false },
      schema: {
        tags,
        params: WorkspaceParamsSchema,
        response: { 200: NotificationSettingsSchema },
      },
    },
    async (request) => {
      const user = await app.authenticateUser(request)
      return {
        email: await emailEnabled(request.em, request.params.workspaceId, user.id),
        mailConfigured: app.mailer !== null,
      }
    },
  )

  app.patch(
    `${base}/settings`,
    {
      config: { access: 'owner', token: false, audit: 'notification.update' },
      schema: {
        tags,
        params: WorkspaceParamsSchema,
        body: UpdateNotificationSettingsBodySchema,
        response: { 200: NotificationSettingsSchema },
      },
    },
    async (request) => {
      const user = await app.authenticateUser(request)
      const { workspaceId } = request.params
      await setEmailEnabled(request.em, workspaceId, user.id, request.body.email)
      request.audit.note({ message: `Email notifications ${request.body.email ? 'on' : 'off'}` })
      return { email: request.body.email, mailConfigured: app.mailer !== null }
    },
  )

  app.get(
    `${base}/accounts`,
    {
      config: { access: 'member', token: false },
      schema: { tags, params: WorkspaceParamsSchema, response: { 200: AccountAlertListSchema } },
    },
    async (request) => ({ items: await accountAlerts(request.em, request.params.workspaceId) }),
  )
}
export default notificationsRoutes
