import { defineEntity, p, type InferEntity } from '@mikro-orm/core'
import { ROLES } from '@cloudlink/shared'

export const InvitationEntity = defineEntity({
  name: 'Invitation',
  tableName: 'invitations',
  properties: {
    id: p.uuid().primary(),
    workspaceId: p.uuid(),
    email: p.string().length(254),
    role: p.enum(ROLES),
    /** Only a SHA-256 of the token is kept: a database reader cannot accept an invitation. */
    tokenHash: p.string().length(64).unique(),
    expiresAt: p.datetime(),
    acceptedAt: p.datetime().nullable(),
    createdBy: p.uuid(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
})
export type Invitation = InferEntity<typeof InvitationEntity>
