import { ref } from 'vue'
import { defineStore } from 'pinia'
import type {
  CreatedWebhook,
  CreateWebhookBody,
  NotificationSettings,
  UpdateWebhookBody,
  Webhook,
  WebhookDelivery,
} from '@cloudlink/shared'
import * as notificationsApi from '@/api/notifications'
import type { ApiError } from '@/api/client'
import { readForWorkspace } from './workspace-read'

/**
 * The open workspace's webhooks and the signed-in owner's email setting (Settings → Notifications).
 * A new webhook's secret is kept here only until the owner dismisses it: it is never shown again.
 */
export const useNotificationsStore = defineStore('notifications', () => {
  const workspaceId = ref<string | null>(null)
  const webhooks = ref<Webhook[]>([])
  const settings = ref<NotificationSettings | null>(null)
  const created = ref<CreatedWebhook | null>(null)
  const deliveries = ref<Record<string, WebhookDelivery[]>>({})
  const loaded = ref(false)
  const loading = ref(false)
  const error = ref<ApiError | null>(null)

  function requireWorkspace(): string {
    if (!workspaceId.value) throw new Error('notifications store: load(workspaceId) first')
    return workspaceId.value
  }

  async function load(forWorkspace: string): Promise<void> {
    if (forWorkspace !== workspaceId.value) {
      reset()
      workspaceId.value = forWorkspace
    }
    await readForWorkspace(
      { workspaceId, loaded, loading, error },
      forWorkspace,
      () =>
        Promise.all([
          notificationsApi.listWebhooks(forWorkspace),
          notificationsApi.getNotificationSettings(forWorkspace),
        ]),
      ([list, mine]) => {
        webhooks.value = list.items
        settings.value = mine
      },
    )
  }

  async function setEmail(email: boolean): Promise<void> {
    settings.value = await notificationsApi.updateNotificationSettings(requireWorkspace(), {
      email,
    })
  }

  async function create(body: CreateWebhookBody): Promise<CreatedWebhook> {
    const webhook = await notificationsApi.createWebhook(requireWorkspace(), body)
    const { secret: _secret, ...listed } = webhook
    webhooks.value = [...webhooks.value, listed]
    created.value = webhook
    return webhook
  }

  function forgetSecret(): void {
    created.value = null
  }

  async function update(webhookId: string, body: UpdateWebhookBody): Promise<Webhook> {
    const webhook = await notificationsApi.updateWebhook(requireWorkspace(), webhookId, body)
    webhooks.value = webhooks.value.map((w) => (w.id === webhookId ? webhook : w))
    return webhook
  }

  async function remove(webhookId: string): Promise<void> {
    await notificationsApi.removeWebhook(requireWorkspace(), webhookId)
    webhooks.value = webhooks.value.filter((w) => w.id !== webhookId)
    if (created.value?.id === webhookId) created.value = null
  }

  async function sendTest(webhookId: string): Promise<string> {
    return (await notificationsApi.testWebhook(requireWorkspace(), webhookId)).id
  }

  async function loadDeliveries(webhookId: string): Promise<WebhookDelivery[]> {
    const { items } = await notificationsApi.listDeliveries(requireWorkspace(), webhookId)
    deliveries.value = { ...deliveries.value, [webhookId]: items }
    return items
  }

  function reset(): void {
    workspaceId.value = null
    webhooks.value = []
    settings.value = null
    created.value = null
    deliveries.value = {}
    loaded.value = false
    loading.value = false
    error.value = null
  }

  return {
    workspaceId,
    webhooks,
    settings,
    created,
    deliveries,
    loaded,
    loading,
    error,
    load,
    setEmail,
    create,
    forgetSecret,
    update,
    remove,
    sendTest,
    loadDeliveries,
    reset,
  }
})
