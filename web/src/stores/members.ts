import { ref } from 'vue'
import { defineStore } from 'pinia'
import type { Invitation, InviteBody, Member, Role } from '@cloudlink/shared'
import * as membersApi from '@/api/members'
import { workspaceList } from './workspace-read'

/** The open workspace's members, and the last invitation link created in this session. */
export const useMembersStore = defineStore('members', () => {
  const lastInvitation = ref<Invitation | null>(null)
  const { workspaceId, items, loaded, loading, error, requireWorkspace, load, reset } =
    workspaceList('members', membersApi.listMembers, () => {
      lastInvitation.value = null
    })

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
