import type {
  AcceptInvitationBody,
  AcceptInvitationResponse,
  ChangeRoleBody,
  Invitation,
  InvitationPreview,
  InviteBody,
  Member,
  MemberList,
  PendingInvitationList,
} from '@cloudlink/shared'
import { api, seg } from './client'

const base = (workspaceId: string) => `/api/v1/workspaces/${seg(workspaceId)}`

export const listMembers = (workspaceId: string) =>
  api.get<MemberList>(`${base(workspaceId)}/members`)
export const inviteMember = (workspaceId: string, body: InviteBody) =>
  api.post<Invitation>(`${base(workspaceId)}/invitations`, body)
export const changeRole = (workspaceId: string, userId: string, body: ChangeRoleBody) =>
  api.patch<Member>(`${base(workspaceId)}/members/${seg(userId)}`, body)
export const removeMember = (workspaceId: string, userId: string) =>
  api.delete(`${base(workspaceId)}/members/${seg(userId)}`)

export const previewInvitation = (token: string) =>
  api.get<InvitationPreview>(`/api/v1/invitations/${seg(token)}`)
export const acceptInvitation = (token: string, body: AcceptInvitationBody) =>
  api.post<AcceptInvitationResponse>(`/api/v1/invitations/${seg(token)}/accept`, body)

export const listInvitations = (workspaceId: string) =>
  api.get<PendingInvitationList>(`${base(workspaceId)}/invitations`)
export const revokeInvitation = (workspaceId: string, invitationId: string) =>
  api.delete(`${base(workspaceId)}/invitations/${seg(invitationId)}`)
