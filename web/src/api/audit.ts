import type { AuditPage, PageQuery } from '@cloudlink/shared'
import { api, seg } from './client'

export const listAudit = (workspaceId: string, query: PageQuery = {}) =>
  api.get<AuditPage>(`/api/v1/workspaces/${seg(workspaceId)}/audit`, { query })
