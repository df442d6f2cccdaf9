import { defineEntity, p, type InferEntity } from '@mikro-orm/core'
import { ROLES } from '@cloudlink/shared'

export const MembershipEntity = defineEntity({
  name: 'Membership',
  tableName: 'memberships',
  properties: {
    workspaceId: p.uuid().primary(),
    userId: p.uuid().primary(),
    role: p.enum(ROLES),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
})
export type Membership = InferEntity<typeof MembershipEntity>
