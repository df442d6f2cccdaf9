import type { AuditPage, AuditQuery } from '@cloudlink/shared'
import { api, seg } from './client'

export const listAudit = (workspaceId: string, query: AuditQuery = {}) =>
  api.get<AuditPage>(`/api/v1/workspaces/${seg(workspaceId)}/audit`, { query })
