import { ref, type Ref } from 'vue'
import { toApiError, type ApiError } from '@/api/client'

/** The refs every per-workspace store keeps about its last read. */
export interface ReadState {
  workspaceId: Ref<string | null>
  loaded: Ref<boolean>
  loading: Ref<boolean>
  error: Ref<ApiError | null>
}

/**
 * One read for the open workspace. An answer that arrives after the user switched workspace is
 * dropped, so a slow response can never show one workspace's data under another's name; errors
 * land in `error`, never thrown.
 */
export async function readForWorkspace<T>(
  state: ReadState,
  forWorkspace: string,
  fetch: () => Promise<T>,
  apply: (value: T) => void,
  options: { quiet?: boolean } = {},
): Promise<void> {
  const current = () => state.workspaceId.value === forWorkspace
  if (!options.quiet) state.loading.value = true
  state.error.value = null
  try {
    const value = await fetch()
    if (!current()) return
    apply(value)
    state.loaded.value = true
  } catch (err: unknown) {
    if (current()) state.error.value = toApiError(err)
  } finally {
    if (current()) state.loading.value = false
  }
}

/**
 * The state and reads of a store holding one list of the open workspace (members, invitations,
 * API tokens): `load` switches workspace (forgetting the last one's data, and `forget` what the
 * store keeps beside the list) and reads through readForWorkspace.
 */
export function workspaceList<T>(
  name: string,
  fetch: (workspaceId: string) => Promise<{ items: T[] }>,
  forget: () => void = () => {},
) {
  const workspaceId = ref<string | null>(null)
  const items = ref<T[]>([]) as Ref<T[]>
  const loaded = ref(false)
  const loading = ref(false)
  const error = ref<ApiError | null>(null)

  function requireWorkspace(): string {
    if (!workspaceId.value) throw new Error(`${name} store: load(workspaceId) first`)
    return workspaceId.value
  }

  function reset(): void {
    workspaceId.value = null
    items.value = []
    forget()
    loaded.value = false
    loading.value = false
    error.value = null
  }

  async function load(forWorkspace: string): Promise<void> {
    if (forWorkspace !== workspaceId.value) {
      reset()
      workspaceId.value = forWorkspace
    }
    await readForWorkspace(
      { workspaceId, loaded, loading, error },
      forWorkspace,
      () => fetch(forWorkspace),
      (list) => (items.value = list.items),
    )
  }

  return { workspaceId, items, loaded, loading, error, requireWorkspace, load, reset }
}
