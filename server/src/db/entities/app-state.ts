import { defineEntity, p, type InferEntity } from '@mikro-orm/core'

/** Small key/value facts about the installation, such as when the last recheck sweep ran. */
export const AppStateEntity = defineEntity({
  name: 'AppState',
  tableName: 'app_state',
  properties: {
    key: p.string().length(100).primary(),
    value: p.json<unknown>(),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
})
export type AppState = InferEntity<typeof AppStateEntity>
