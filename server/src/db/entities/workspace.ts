import { defineEntity, p, type InferEntity } from '@mikro-orm/core'

export const WorkspaceEntity = defineEntity({
  name: 'Workspace',
  tableName: 'workspaces',
  properties: {
    id: p.uuid().primary(),
    name: p.string().length(100),
    /** Members must have a second factor to use the workspace. */
    requireMfa: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
})
export type Workspace = InferEntity<typeof WorkspaceEntity>
