import type { EntityManager } from '@mikro-orm/postgresql'
import { WorkspaceEntity, type Invitation, type UserRef } from '../../db/entities/index.js'
import type { Mail } from '../mail/mail.js'

/** The message that carries an invitation link to the invited address. */
export async function invitationMail(
  em: EntityManager,
  input: { invitation: Invitation; inviter: UserRef; url: string },
): Promise<Mail> {
  const { invitation, inviter, url } = input
  const workspace = await em.findOneOrFail(WorkspaceEntity, { id: invitation.workspaceId })
  const role = invitation.role === 'owner' ? 'an owner' : 'a member'
  return {
    to: invitation.email,
    subject: `${inviter.name} invited you to ${workspace.name} on Cloudlink`,
    text: [
      `${inviter.name} invited you to join ${workspace.name} on Cloudlink as ${role}.`,
      '',
      `Accept the invitation: ${url}`,
      '',
      `The link works once and expires on ${invitation.expiresAt.toUTCString()}.`,
      'If you already have a Cloudlink account with this address, sign in first, then open the link.',
      'If you did not expect this invitation, ignore this message.',
    ].join('\n'),
  }
}
