import { ref, type Ref } from 'vue'
import type { PageQuery } from '@cloudlink/shared'
import type { ApiError } from '@/api/client'
import { readForWorkspace } from './workspace-read'

const PAGE_SIZE = 50

/** One page of a newest-first list, as the API answers it. */
export interface Page<T> {
  items: T[]
  nextCursor: string | null
}

/**
 * The state and actions of a per-workspace list read page by page with a cursor (the audit log,
 * the broker calls), for use inside a setup store: `load` reads the first page afresh, `loadMore`
 * appends the next one, `reset` forgets everything.
 */
export function usePagedRead<T>(
  fetchPage: (workspaceId: string, query: PageQuery) => Promise<Page<T>>,
) {
  const workspaceId = ref<string | null>(null)
  const items = ref([]) as Ref<T[]>
  const nextCursor = ref<string | null>(null)
  const loaded = ref(false)
  const loading = ref(false)
  const error = ref<ApiError | null>(null)

  /** Bumped by every fresh load: a page asked for before it (other filters) is dropped. */
  let generation = 0

  async function read(forWorkspace: string, cursor?: string): Promise<void> {
    const asked = generation
    await readForWorkspace(
      { workspaceId, loaded, loading, error },
      forWorkspace,
      () => fetchPage(forWorkspace, { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }),
      (page) => {
        if (asked !== generation) return
        items.value = cursor ? [...items.value, ...page.items] : page.items
        nextCursor.value = page.nextCursor
      },
    )
  }

  async function load(forWorkspace: string): Promise<void> {
    if (forWorkspace !== workspaceId.value) reset()
    workspaceId.value = forWorkspace
    generation += 1
    await read(forWorkspace)
  }

  async function loadMore(): Promise<void> {
    if (!workspaceId.value || !nextCursor.value || loading.value) return
    await read(workspaceId.value, nextCursor.value)
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
}
