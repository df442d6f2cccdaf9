import { ref } from 'vue'
import { defineStore } from 'pinia'
import type { AuditEntry } from '@cloudlink/shared'
import * as auditApi from '@/api/audit'
import type { ApiError } from '@/api/client'
import { readForWorkspace } from './workspace-read'

const PAGE_SIZE = 50

/** The open workspace's audit log, newest first, paged by cursor. */
export const useAuditStore = defineStore('audit', () => {
  const workspaceId = ref<string | null>(null)
  const items = ref<AuditEntry[]>([])
  const nextCursor = ref<string | null>(null)
  const loaded = ref(false)
  const loading = ref(false)
  const error = ref<ApiError | null>(null)

  async function fetchPage(forWorkspace: string, cursor?: string): Promise<void> {
    await readForWorkspace(
      { workspaceId, loaded, loading, error },
      forWorkspace,
      () => auditApi.listAudit(forWorkspace, { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }),
      (page) => {
        items.value = cursor ? [...items.value, ...page.items] : page.items
        nextCursor.value = page.nextCursor
      },
    )
  }

  async function load(forWorkspace: string): Promise<void> {
    if (forWorkspace !== workspaceId.value) reset()
    workspaceId.value = forWorkspace
    await fetchPage(forWorkspace)
  }

  async function loadMore(): Promise<void> {
    if (!workspaceId.value || !nextCursor.value || loading.value) return
    await fetchPage(workspaceId.value, nextCursor.value)
  }

  function reset(): void {
    workspaceId.value = null
    items.value = []
    nextCursor.value = null
    loaded.value = false
    loading.value = false
    error.value = null
  }

  return { workspaceId, items, nextCursor, loaded, loading, error, load, loadMore, reset }
})
