import type { EntityManager } from '@mikro-orm/postgresql'
import type { PendingInvitation } from '@cloudlink/shared'
import { InvitationEntity, UserEntity, type Invitation } from '../../db/entities/index.js'
import { notFound } from '../../errors.js'

/**
 * The workspace's invitations that nobody accepted yet, newest first, expired ones included (an
 * owner sees that a link ran out and can invite again). Tokens are not here: only their hash is
 * stored, so a link is shown once, when it is created.
 */
export async function listPendingInvitations(
  em: EntityManager,
  workspaceId: string,
): Promise<PendingInvitation[]> {
  const invitations = await em.find(
    InvitationEntity,
    { workspaceId, acceptedAt: null },
    { orderBy: { createdAt: 'desc', id: 'desc' } },
  )
  const inviters = await em.find(UserEntity, {
    id: { $in: [...new Set(invitations.map((i) => i.createdBy))] },
  })
  const byId = new Map(inviters.map((u) => [u.id, u]))
  return invitations.map((i) => {
    const inviter = byId.get(i.createdBy)
    return {
      id: i.id,
      email: i.email,
      role: i.role,
      expiresAt: i.expiresAt.toISOString(),
      createdAt: i.createdAt.toISOString(),
      invitedBy: inviter ? { id: inviter.id, name: inviter.name, email: inviter.email } : null,
    }
  })
}

/**
 * Revokes a pending invitation: its link stops working at once (the row is deleted, as when the
 * owner who made it is demoted). An accepted one is history, not revocable: 404 like an unknown id.
 */
export async function revokeInvitation(
  em: EntityManager,
  workspaceId: string,
  invitationId: string,
): Promise<Invitation> {
  const invitation = await em.findOne(InvitationEntity, {
    id: invitationId,
    workspaceId,
    acceptedAt: null,
  })
  if (!invitation) throw notFound('Invitation')
  await em.nativeDelete(InvitationEntity, { id: invitation.id, acceptedAt: null })
  return invitation
}
