import { defineEntity, p, type InferEntity } from '@mikro-orm/core'
import { EVENT_TYPES } from '@cloudlink/shared'

export const EMAIL_STATES = ['pending', 'queued', 'none'] as const

/**
 * The outbox: one row per event, written in the transaction of the change that causes it. The
 * notify job fans it out to webhook deliveries (`dispatchedAt`) and to an email (`emailState`).
 * `data` is what the webhook body carries (a CloudAccount or ApiToken as the API shows it).
 */
export const NotificationEventEntity = defineEntity({
  name: 'NotificationEvent',
  tableName: 'notification_events',
  properties: {
    id: p.uuid().primary(),
    workspaceId: p.uuid(),
    type: p.enum(EVENT_TYPES),
    accountId: p.uuid().nullable(),
    tokenId: p.uuid().nullable(),
    /** A test event's one webhook; null sends to every webhook subscribed to the type. */
    webhookId: p.uuid().nullable(),
    data: p.json<Record<string, unknown>>(),
    createdAt: p.datetime(),
    dispatchedAt: p.datetime().nullable(),
    emailState: p.enum(EMAIL_STATES),
  },
})
export type NotificationEvent = InferEntity<typeof NotificationEventEntity>
