import type {
  CheckList,
  CloudAccount,
  CloudAccountList,
  CloudAccountListQuery,
  ConnectBody,
  ReconnectBody,
  ServerList,
  UpdateAccountBody,
} from '@cloudlink/shared'
import { api, request, seg } from './client'

const base = (workspaceId: string) => `/api/v1/workspaces/${seg(workspaceId)}/cloud-accounts`
const one = (workspaceId: string, accountId: string) => `${base(workspaceId)}/${seg(accountId)}`

export const listAccounts = (workspaceId: string, query: CloudAccountListQuery = {}) =>
  api.get<CloudAccountList>(base(workspaceId), { query })
export const getAccount = (workspaceId: string, accountId: string) =>
  api.get<CloudAccount>(one(workspaceId, accountId))
/** `signal` lets the person stop waiting for a slow provider; the server then stores nothing. */
export const connectAccount = (workspaceId: string, body: ConnectBody, signal?: AbortSignal) =>
  request<CloudAccount>('POST', base(workspaceId), { body, signal })
export const updateAccount = (workspaceId: string, accountId: string, body: UpdateAccountBody) =>
  api.patch<CloudAccount>(one(workspaceId, accountId), body)
export const recheckAccount = (workspaceId: string, accountId: string) =>
  api.post<CloudAccount>(`${one(workspaceId, accountId)}/recheck`)
export const reconnectAccount = (
  workspaceId: string,
  accountId: string,
  body: ReconnectBody,
  signal?: AbortSignal,
) => request<CloudAccount>('PUT', `${one(workspaceId, accountId)}/credentials`, { body, signal })
export const removeAccount = (workspaceId: string, accountId: string) =>
  api.delete(one(workspaceId, accountId))
export const listServers = (workspaceId: string, accountId: string) =>
  api.get<ServerList>(`${one(workspaceId, accountId)}/servers`)
export const listChecks = (workspaceId: string, accountId: string) =>
  api.get<CheckList>(`${one(workspaceId, accountId)}/checks`)
