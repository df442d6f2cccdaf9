import { ref } from 'vue'
import { defineStore } from 'pinia'
import type { AuditEntry, AuditQuery } from '@cloudlink/shared'
import * as auditApi from '@/api/audit'
import { usePagedRead } from './paged-read'

export type AuditFilters = Pick<AuditQuery, 'action' | 'outcome' | 'accountId' | 'actorId'>

/** The open workspace's audit log, newest first, paged by cursor within the current filters. */
export const useAuditStore = defineStore('audit', () => {
  const filters = ref<AuditFilters>({})
  const paged = usePagedRead<AuditEntry>((workspaceId, page) =>
    auditApi.listAudit(workspaceId, { ...page, ...filters.value }),
  )

  /** Reads the first page for `next` filters (the older pages follow with loadMore). */
  async function load(workspaceId: string, next: AuditFilters = filters.value): Promise<void> {
    filters.value = { ...next }
    await paged.load(workspaceId)
  }

  function reset(): void {
    filters.value = {}
    paged.reset()
  }

  return { ...paged, filters, load, reset }
})
