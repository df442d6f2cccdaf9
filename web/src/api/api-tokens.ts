import type { ApiToken, ApiTokenList, CreateApiTokenBody, CreatedApiToken } from '@cloudlink/shared'
import { api, seg } from './client'

const base = (workspaceId: string) => `/api/v1/workspaces/${seg(workspaceId)}/api-tokens`

export const listTokens = (workspaceId: string) => api.get<ApiTokenList>(base(workspaceId))
export const createToken = (workspaceId: string, body: CreateApiTokenBody) =>
  api.post<CreatedApiToken>(base(workspaceId), body)
export const revokeToken = (workspaceId: string, tokenId: ApiToken['id']) =>
  api.delete(`${base(workspaceId)}/${seg(tokenId)}`)
