import { defineStore } from 'pinia'
import type { AuditEntry } from '@cloudlink/shared'
import * as auditApi from '@/api/audit'
import { usePagedRead } from './paged-read'

/** The open workspace's audit log, newest first, paged by cursor. */
export const useAuditStore = defineStore('audit', () =>
  usePagedRead<AuditEntry>(auditApi.listAudit),
)
