import { ref } from 'vue'
import { defineStore } from 'pinia'
import type { Invitation, PendingInvitation } from '@cloudlink/shared'
import * as membersApi from '@/api/members'
import { workspaceList } from './workspace-read'

/**
 * The open workspace's invitations nobody accepted yet (owners only). Their links exist only in
 * the answer that created them, so the links of invitations created in this tab are kept here, in
 * memory, to copy again; the others can be replaced by a new link.
 */
export const useInvitationsStore = defineStore('invitations', () => {
  const links = ref<Record<string, string>>({})
  const { workspaceId, items, loaded, loading, error, requireWorkspace, load, reset } =
    workspaceList('invitations', membersApi.listInvitations, () => {
      links.value = {}
    })

  /** An invitation just created (by the invite form): listed at once, its link kept to copy. */
  function created(invitation: Invitation, invitedBy: PendingInvitation['invitedBy']): void {
    links.value = { ...links.value, [invitation.id]: invitation.url }
    const pending: PendingInvitation = {
      id: invitation.id,
      email: invitation.email,
      role: invitation.role,
      expiresAt: invitation.expiresAt,
      createdAt: new Date().toISOString(),
      invitedBy,
    }
    items.value = [pending, ...items.value.filter((i) => i.id !== invitation.id)]
  }

  /** Revokes: the link stops working at once. Throws the ApiError for the dialog to show. */
  async function revoke(invitationId: string): Promise<void> {
    await membersApi.revokeInvitation(requireWorkspace(), invitationId)
    items.value = items.value.filter((i) => i.id !== invitationId)
    const { [invitationId]: _gone, ...rest } = links.value
    links.value = rest
  }

  return { workspaceId, items, links, loaded, loading, error, load, created, revoke, reset }
})
