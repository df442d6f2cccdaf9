import type { Ref } from 'vue'
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
