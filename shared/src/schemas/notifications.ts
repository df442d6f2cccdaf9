import { Type, type Static } from 'typebox'
import { IdSchema, NullableTimestampSchema, TimestampSchema } from './common.js'
import { TextSchema } from './text.js'
import { ActorSchema } from './cloud-accounts.js'

/** What owners are told about. `test` is only ever sent by a webhook's test button. */
export const NOTIFICATION_EVENTS = [
  'account.needs_attention',
  'account.expired',
  'account.recovered',
  'account.stale',
  'token.expiring',
] as const
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number]
export const NotificationEventSchema = Type.Enum(NOTIFICATION_EVENTS)

export const EVENT_TYPES = [...NOTIFICATION_EVENTS, 'test'] as const
export type EventType = (typeof EVENT_TYPES)[number]

/** `whsec_` + base64 of 32 random bytes, as the Standard Webhooks libraries take it. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_'

/**
 * An absolute http(s) URL without user info. The scheme and the address it resolves to are
 * checked by the server (https only, no private ranges, unless the installation allows them).
 */
export const WebhookUrlSchema = Type.String({
  format: 'uri',
  maxLength: 2000,
  pattern: '^[Hh][Tt][Tt][Pp][Ss]?://[^\\s@/]+(/\\S*)?$',
  errorMessage: { pattern: 'must be an http(s) URL without user info or spaces' },
})

const EventListSchema = Type.Array(NotificationEventSchema, {
  minItems: 1,
  maxItems: NOTIFICATION_EVENTS.length,
  uniqueItems: true,
})

export const WebhookSchema = Type.Object({
  id: IdSchema,
  url: Type.String(),
  description: Type.String(),
  events: Type.Array(NotificationEventSchema),
  enabled: Type.Boolean(),
  /** Why it is off when Cloudlink turned it off (24 hours of failed deliveries); null otherwise. */
  disabledReason: Type.Union([Type.String(), Type.Null()]),
  /** Since when every delivery has failed; null while deliveries succeed. */
  failingSince: NullableTimestampSchema,
  /** Deliveries stored and not yet delivered or given up. */
  pending: Type.Integer(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  createdBy: Type.Union([ActorSchema, Type.Null()]),
})
export type Webhook = Static<typeof WebhookSchema>

export const CreatedWebhookSchema = Type.Intersect([
  WebhookSchema,
  Type.Object({ secret: Type.String() }),
])
export type CreatedWebhook = Static<typeof CreatedWebhookSchema>

export const WebhookListSchema = Type.Object({ items: Type.Array(WebhookSchema) })
export type WebhookList = Static<typeof WebhookListSchema>

export const WebhookDescriptionSchema = TextSchema({ maxLength: 500, tabs: true })

export const CreateWebhookBodySchema = Type.Object(
  {
    url: WebhookUrlSchema,
    events: EventListSchema,
    description: Type.Optional(WebhookDescriptionSchema),
  },
  { additionalProperties: false },
)
export type CreateWebhookBody = Static<typeof CreateWebhookBodySchema>

export const UpdateWebhookBodySchema = Type.Object(
  {
    url: Type.Optional(WebhookUrlSchema),
    events: Type.Optional(EventListSchema),
    enabled: Type.Optional(Type.Boolean()),
    description: Type.Optional(WebhookDescriptionSchema),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateWebhookBody = Static<typeof UpdateWebhookBodySchema>

export const WebhookParamsSchema = Type.Object({ workspaceId: IdSchema, webhookId: IdSchema })
export type WebhookParams = Static<typeof WebhookParamsSchema>

export const DELIVERY_STATUSES = ['delivered', 'failed'] as const
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number]

/** One attempt. `id` is the message's `webhook-id`: the same on every attempt of one event. */
export const WebhookDeliverySchema = Type.Object({
  id: Type.String(),
  event: Type.Enum(EVENT_TYPES),
  at: TimestampSchema,
  attempt: Type.Integer(),
  status: Type.Enum(DELIVERY_STATUSES),
  responseStatus: Type.Union([Type.Integer(), Type.Null()]),
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
  /** What went wrong, in words (timeout, refused address, …); absent when delivered. */
  error: Type.Optional(Type.String()),
})
export type WebhookDelivery = Static<typeof WebhookDeliverySchema>

export const WebhookDeliveryListSchema = Type.Object({ items: Type.Array(WebhookDeliverySchema) })
export type WebhookDeliveryList = Static<typeof WebhookDeliveryListSchema>

/** The signed-in owner's own notification settings in one workspace. */
export const NotificationSettingsSchema = Type.Object({
  email: Type.Boolean(),
  /** Whether this installation sends email at all (SMTP_URL). */
  mailConfigured: Type.Boolean(),
})
export type NotificationSettings = Static<typeof NotificationSettingsSchema>

export const UpdateNotificationSettingsBodySchema = Type.Object(
  { email: Type.Boolean() },
  { additionalProperties: false },
)
export type UpdateNotificationSettingsBody = Static<typeof UpdateNotificationSettingsBodySchema>

/** Who was told about an account's latest event, and when (the accounts page shows it). */
export const AccountAlertSchema = Type.Object({
  accountId: IdSchema,
  event: NotificationEventSchema,
  at: TimestampSchema,
  /** Owners an email about this account reached, each with the time of the latest one. */
  told: Type.Array(
    Type.Object({ user: Type.Object({ id: IdSchema, name: Type.String() }), at: TimestampSchema }),
  ),
  /** The latest webhook delivery about this account that a receiver accepted. */
  webhookDeliveredAt: NullableTimestampSchema,
})
export type AccountAlert = Static<typeof AccountAlertSchema>

export const AccountAlertListSchema = Type.Object({ items: Type.Array(AccountAlertSchema) })
export type AccountAlertList = Static<typeof AccountAlertListSchema>
