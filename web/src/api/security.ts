import type {
  ChangePasswordBody,
  LoginResponse,
  MfaLoginBody,
  PasswordResetLink,
  PasswordResetPreview,
  ReauthBody,
  RecoveryCodes,
  SessionList,
  TotpEnrolment,
  UpdateWorkspaceBody,
  WorkspaceWithRole,
} from '@cloudlink/shared'
import { api, request, seg } from './client'

export const loginWithCode = (body: MfaLoginBody) =>
  api.post<LoginResponse>('/api/v1/auth/login/mfa', body)
/** Never retried through the reauth prompt itself: it is the prompt's own request. */
export const reauth = (body: ReauthBody) =>
  request<void>('POST', '/api/v1/auth/reauth', { body, reauth: false })

export const changePassword = (body: ChangePasswordBody) =>
  api.post<void>('/api/v1/me/password', body)
export const listSessions = () => api.get<SessionList>('/api/v1/me/sessions')
export const endSession = (id: string) => api.delete(`/api/v1/me/sessions/${seg(id)}`)

export const startTotp = () => api.post<TotpEnrolment>('/api/v1/me/mfa/totp')
export const confirmTotp = (code: string) =>
  api.post<RecoveryCodes>('/api/v1/me/mfa/totp/confirm', { code })
export const disableTotp = (code: string) =>
  request<void>('DELETE', '/api/v1/me/mfa/totp', { body: { code } })

export const issuePasswordReset = (workspaceId: string, userId: string) =>
  api.post<PasswordResetLink>(
    `/api/v1/workspaces/${seg(workspaceId)}/members/${seg(userId)}/password-reset`,
  )
export const previewPasswordReset = (token: string) =>
  api.get<PasswordResetPreview>(`/api/v1/password-resets/${seg(token)}`)
export const usePasswordReset = (token: string, password: string) =>
  api.post<void>(`/api/v1/password-resets/${seg(token)}`, { password })

export const updateWorkspace = (workspaceId: string, body: UpdateWorkspaceBody) =>
  api.patch<WorkspaceWithRole>(`/api/v1/workspaces/${seg(workspaceId)}`, body)
