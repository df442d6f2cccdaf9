import type { BrokerCallPage, PageQuery } from '@cloudlink/shared'
import { api, seg } from './client'

export const listBrokerCalls = (workspaceId: string, query: PageQuery = {}) =>
  api.get<BrokerCallPage>(`/api/v1/workspaces/${seg(workspaceId)}/broker-calls`, { query })
