import type {
  CreateWorkspaceBody,
  LoginBody,
  LoginResponse,
  MeResponse,
  SetupBody,
  SetupResponse,
  SetupStatus,
  WorkspaceWithRole,
} from '@cloudlink/shared'
import { api } from './client'

export const getSetupStatus = () => api.get<SetupStatus>('/api/v1/setup')
export const runSetup = (body: SetupBody) => api.post<SetupResponse>('/api/v1/setup', body)
export const login = (body: LoginBody) => api.post<LoginResponse>('/api/v1/auth/login', body)
export const logout = () => api.post<void>('/api/v1/auth/logout')
export const getMe = () => api.get<MeResponse>('/api/v1/me')

export const createWorkspace = (body: CreateWorkspaceBody) =>
  api.post<WorkspaceWithRole>('/api/v1/workspaces', body)
