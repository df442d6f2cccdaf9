import { defineEntity, p, type InferEntity } from '@mikro-orm/core'
import type { NotificationEvent } from '@cloudlink/shared'

/**
 * An owner's webhook. Its signing secret is sealed by the vault like a credential (the row id
 * stands in the AAD where an account's id would), and only shown once, when it is created.
 */
export const WebhookEntity = defineEntity({
  name: 'Webhook',
  tableName: 'webhooks',
  properties: {
    id: p.uuid().primary(),
    workspaceId: p.uuid(),
    url: p.string().length(2000),
    description: p.string().length(500).default(''),
    events: p.json<NotificationEvent[]>(),
    enabled: p.boolean().default(true),
    disabledReason: p.text().nullable(),
    /** First failure of the current run of failures; after 24 hours of them the webhook is off. */
    failingSince: p.datetime().nullable(),
    keyId: p.string().length(40),
    wrappedKey: p.blob(),
    ciphertext: p.blob(),
    createdBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
})
export type Webhook = InferEntity<typeof WebhookEntity>
