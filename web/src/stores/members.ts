import { ref } from 'vue'
import { defineStore } from 'pinia'
import type { Invitation, InviteBody, Member, Role } from '@cloudlink/shared'
import * as membersApi from '@/api/members'
import type { ApiError } from '@/api/client'
import { readForWorkspace } from './workspace-read'

/** The open workspace's members, and the last invitation link created in this session. */
export const useMembersStore = defineStore('members', () => {
  const workspaceId = ref<string | null>(null)
  const items = ref<Member[]>([])
  const lastInvitation = ref<Invitation | null>(null)
  const loaded = ref(false)
  const loading = ref(false)
  const error = ref<ApiError | null>(null)

  function requireWorkspace(): string {
    if (!workspaceId.value) throw new Error('members store: load(workspaceId) first')
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
      () => membersApi.listMembers(forWorkspace),
      (list) => (items.value = list.items),
    )
  }

  async function invite(body: InviteBody): Promise<Invitation> {
    const invitation = await membersApi.inviteMember(requireWorkspace(), body)
    lastInvitation.value = invitation
    return invitation
  }

  async function changeRole(userId: string, role: Role): Promise<Member> {
    const member = await membersApi.changeRole(requireWorkspace(), userId, { role })
    items.value = items.value.map((m) => (m.user.id === userId ? member : m))
    return member
  }

  async function remove(userId: string): Promise<void> {
    await membersApi.removeMember(requireWorkspace(), userId)
    items.value = items.value.filter((m) => m.user.id !== userId)
  }

  function reset(): void {
    workspaceId.value = null
    items.value = []
    lastInvitation.value = null
    loaded.value = false
    loading.value = false
    error.value = null
  }

  return {
    workspaceId,
    items,
    lastInvitation,
    loaded,
    loading,
    error,
    load,
    invite,
    changeRole,
    remove,
    reset,
  }
})
