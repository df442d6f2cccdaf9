import type {
  AccountAlertList,
  CreatedWebhook,
  CreateWebhookBody,
  NotificationSettings,
  UpdateNotificationSettingsBody,
  UpdateWebhookBody,
  Webhook,
  WebhookDeliveryList,
  WebhookList,
} from '@cloudlink/shared'
import { api, seg } from './client'

const base = (workspaceId: string) => `/api/v1/workspaces/${seg(workspaceId)}`
const hook = (workspaceId: string, webhookId: string) =>
  `${base(workspaceId)}/webhooks/${seg(webhookId)}`

export const listWebhooks = (workspaceId: string) =>
  api.get<WebhookList>(`${base(workspaceId)}/webhooks`)
export const createWebhook = (workspaceId: string, body: CreateWebhookBody) =>
  api.post<CreatedWebhook>(`${base(workspaceId)}/webhooks`, body)
export const updateWebhook = (workspaceId: string, webhookId: string, body: UpdateWebhookBody) =>
  api.patch<Webhook>(hook(workspaceId, webhookId), body)
export const removeWebhook = (workspaceId: string, webhookId: string) =>
  api.delete(hook(workspaceId, webhookId))
export const testWebhook = (workspaceId: string, webhookId: string) =>
  api.post<{ id: string }>(`${hook(workspaceId, webhookId)}/test`)
export const listDeliveries = (workspaceId: string, webhookId: string) =>
  api.get<WebhookDeliveryList>(`${hook(workspaceId, webhookId)}/deliveries`)

export const getNotificationSettings = (workspaceId: string) =>
  api.get<NotificationSettings>(`${base(workspaceId)}/notifications/settings`)
export const updateNotificationSettings = (
  workspaceId: string,
  body: UpdateNotificationSettingsBody,
) => api.patch<NotificationSettings>(`${base(workspaceId)}/notifications/settings`, body)

export const listAccountAlerts = (workspaceId: string) =>
  api.get<AccountAlertList>(`${base(workspaceId)}/notifications/accounts`)
