import { defineEntity, p, type InferEntity } from '@mikro-orm/core'
import { DELIVERY_STATUSES, EVENT_TYPES } from '@cloudlink/shared'

export const DELIVERY_STATES = ['pending', 'delivered', 'failed', 'cancelled'] as const

/** One event for one webhook, retried until delivered or 24 hours old; claimed with a lease. */
export const WebhookDeliveryEntity = defineEntity({
  name: 'WebhookDelivery',
  tableName: 'webhook_deliveries',
  properties: {
    id: p.uuid().primary(),
    webhookId: p.uuid(),
    /** Also the message's `webhook-id`: the same on every attempt. */
    eventId: p.uuid(),
    status: p.enum(DELIVERY_STATES),
    attempts: p.integer().default(0),
    nextAttemptAt: p.datetime(),
    claimedUntil: p.datetime().nullable(),
    createdAt: p.datetime(),
    finishedAt: p.datetime().nullable(),
  },
})
export type WebhookDelivery = InferEntity<typeof WebhookDeliveryEntity>

/** The delivery log: one row per attempt, the last 100 per webhook. */
export const WebhookAttemptEntity = defineEntity({
  name: 'WebhookAttempt',
  tableName: 'webhook_attempts',
  properties: {
    id: p.uuid().primary(),
    webhookId: p.uuid(),
    eventId: p.uuid(),
    event: p.enum(EVENT_TYPES),
    at: p.datetime(),
    attempt: p.integer(),
    status: p.enum(DELIVERY_STATUSES),
    responseStatus: p.integer().nullable(),
    durationMs: p.integer().nullable(),
    error: p.text().nullable(),
  },
})
export type WebhookAttempt = InferEntity<typeof WebhookAttemptEntity>
