import { defineEntity, p, type InferEntity } from '@mikro-orm/core'

/** An owner's notification settings in one workspace; no row means the defaults (email on). */
export const NotificationPreferenceEntity = defineEntity({
  name: 'NotificationPreference',
  tableName: 'notification_preferences',
  properties: {
    workspaceId: p.uuid().primary(),
    userId: p.uuid().primary(),
    email: p.boolean().default(true),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
})
export type NotificationPreference = InferEntity<typeof NotificationPreferenceEntity>
