import { ref } from 'vue'
import { defineStore } from 'pinia'
import type { AuditEntry } from '@cloudlink/shared'
import * as auditApi from '@/api/audit'
import { toApiError, type ApiError } from '@/api/client'

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
    loading.value = true
    error.value = null
    try {
      const page = await auditApi.listAudit(forWorkspace, {
        limit: PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
      })
      if (workspaceId.value !== forWorkspace) return
      items.value = cursor ? [...items.value, ...page.items] : page.items
      nextCursor.value = page.nextCursor
      loaded.value = true
    } catch (err: unknown) {
      if (workspaceId.value === forWorkspace) error.value = toApiError(err)
    } finally {
      if (workspaceId.value === forWorkspace) loading.value = false
    }
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
