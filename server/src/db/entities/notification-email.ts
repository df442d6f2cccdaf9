import { defineEntity, p, type InferEntity } from '@mikro-orm/core'

export const EMAIL_KINDS = ['digest', 'webhook_disabled'] as const
export const EMAIL_STATUSES = ['pending', 'sent', 'failed'] as const

export interface EmailRecipient {
  userId: string
  email: string
  name: string
}

/**
 * A queued message to a workspace's owners, rendered when queued (a digest lists the accounts of
 * one sweep), sent with retries; `told` keeps whom the SMTP server accepted it for.
 */
export const NotificationEmailEntity = defineEntity({
  name: 'NotificationEmail',
  tableName: 'notification_emails',
  properties: {
    id: p.uuid().primary(),
    workspaceId: p.uuid(),
    kind: p.enum(EMAIL_KINDS),
    accountIds: p.array<string>(),
    recipients: p.json<EmailRecipient[]>(),
    subject: p.text(),
    text: p.text(),
    html: p.text(),
    status: p.enum(EMAIL_STATUSES),
    attempts: p.integer().default(0),
    nextAttemptAt: p.datetime(),
    claimedUntil: p.datetime().nullable(),
    createdAt: p.datetime(),
    sentAt: p.datetime().nullable(),
    told: p.json<EmailRecipient[]>(),
    lastError: p.text().nullable(),
  },
})
export type NotificationEmail = InferEntity<typeof NotificationEmailEntity>
