import { computed, ref } from 'vue'
import { defineStore } from 'pinia'
import type { LoginBody, SetupBody, User, WorkspaceWithRole } from '@cloudlink/shared'
import * as authApi from '@/api/auth'
import { toApiError, type ApiError } from '@/api/client'
import { resetAllStores } from './reset'

const LAST_WORKSPACE_KEY = 'cloudlink.workspace'

function readLastWorkspace(): string | null {
  try {
    return localStorage.getItem(LAST_WORKSPACE_KEY)
  } catch {
    return null
  }
}

/** Who is signed in, their workspaces, which one is open, and whether first-run setup is due. */
export const useSessionStore = defineStore('session', () => {
  const user = ref<User | null>(null)
  const workspaces = ref<WorkspaceWithRole[]>([])
  const currentWorkspaceId = ref<string | null>(null)
  const setupNeeded = ref<boolean | null>(null)
  /** Whether /me has been asked since the app started (so the login page knows not to ask again). */
  const checked = ref(false)
  const loading = ref(false)
  const error = ref<ApiError | null>(null)

  const signedIn = computed(() => user.value !== null)
  const currentWorkspace = computed(
    () => workspaces.value.find((w) => w.id === currentWorkspaceId.value) ?? null,
  )
  const isOwner = computed(() => currentWorkspace.value?.role === 'owner')

  async function checkSetup(): Promise<boolean> {
    try {
      setupNeeded.value = (await authApi.getSetupStatus()).needed
    } catch (err: unknown) {
      error.value = toApiError(err)
      setupNeeded.value = false
    }
    return setupNeeded.value
  }

  /** Loads /me; false when there is no valid session. */
  async function restore(): Promise<boolean> {
    loading.value = true
    try {
      const me = await authApi.getMe()
      user.value = me.user
      workspaces.value = me.workspaces
      error.value = null
      return true
    } catch (err: unknown) {
      const apiError = toApiError(err)
      if (apiError.status !== 401) error.value = apiError
      clear()
      return false
    } finally {
      checked.value = true
      loading.value = false
    }
  }

  async function login(body: LoginBody): Promise<void> {
    loading.value = true
    error.value = null
    try {
      await authApi.login(body)
    } catch (err: unknown) {
      error.value = toApiError(err)
      throw error.value
    } finally {
      loading.value = false
    }
    await restore()
  }

  async function setup(body: SetupBody): Promise<void> {
    loading.value = true
    error.value = null
    try {
      const result = await authApi.runSetup(body)
      setupNeeded.value = false
      selectWorkspace(result.workspace.id)
    } catch (err: unknown) {
      error.value = toApiError(err)
      throw error.value
    } finally {
      loading.value = false
    }
    await restore()
  }

  async function logout(): Promise<void> {
    try {
      await authApi.logout()
    } finally {
      resetAllStores()
    }
  }

  async function createWorkspace(name: string): Promise<WorkspaceWithRole> {
    const workspace = await authApi.createWorkspace({ name })
    workspaces.value = [...workspaces.value, workspace]
    return workspace
  }

  function selectWorkspace(id: string | null): void {
    currentWorkspaceId.value = id
    try {
      if (id) localStorage.setItem(LAST_WORKSPACE_KEY, id)
    } catch {
      // Private mode without storage: the choice just isn't remembered.
    }
  }

  /** The workspace to open when none is named in the URL. */
  function preferredWorkspaceId(): string | null {
    const last = readLastWorkspace()
    if (last && workspaces.value.some((w) => w.id === last)) return last
    return workspaces.value[0]?.id ?? null
  }

  function clear(): void {
    user.value = null
    workspaces.value = []
    currentWorkspaceId.value = null
  }

  /** Forgets the session but keeps the setup answer: it never goes back to "needed". */
  function reset(): void {
    clear()
    checked.value = true
    error.value = null
    loading.value = false
  }

  return {
    user,
    workspaces,
    currentWorkspaceId,
    setupNeeded,
    checked,
    loading,
    error,
    signedIn,
    currentWorkspace,
    isOwner,
    checkSetup,
    restore,
    login,
    setup,
    logout,
    createWorkspace,
    selectWorkspace,
    preferredWorkspaceId,
    clear,
    reset,
  }
})
