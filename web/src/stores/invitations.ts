import { ref } from 'vue'
import { defineStore } from 'pinia'
import type { Invitation, PendingInvitation } from '@cloudlink/shared'
import * as membersApi from '@/api/members'
import type { ApiError } from '@/api/client'
import { readForWorkspace } from './workspace-read'

/**
 * The open workspace's invitations nobody accepted yet (owners only). Their links exist only in
 * the answer that created them, so the links of invitations created in this tab are kept here, in
 * memory, to copy again; the others can be replaced by a new link.
 */
export const useInvitationsStore = defineStore('invitations', () => {
  const workspaceId = ref<string | null>(null)
  const items = ref<PendingInvitation[]>([])
  const links = ref<Record<string, string>>({})
  const loaded = ref(false)
  const loading = ref(false)
  const error = ref<ApiError | null>(null)

  function requireWorkspace(): string {
    if (!workspaceId.value) throw new Error('invitations store: load(workspaceId) first')
    return workspaceId.value
  }

  async function load(forWorkspace: string): Promise<void> {
    if (forWorkspace !== workspaceId.value) {
      reset()
      workspaceId.value = forWorkspace
    }
    await readForWorkspace(
      { workspaceId, loaded, loading, error },
      forWorkspace,
      () => membersApi.listInvitations(forWorkspace),
      (list) => (items.value = list.items),
    )
  }

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

  function reset(): void {
    workspaceId.value = null
    items.value = []
    links.value = {}
    loaded.value = false
    loading.value = false
    error.value = null
  }

  return { workspaceId, items, links, loaded, loading, error, load, created, revoke, reset }
})
