import { computed, ref } from 'vue'
import { defineStore } from 'pinia'
import type {
  LoginBody,
  LoginResponse,
  SecurityStatus,
  SetupBody,
  User,
  WorkspaceWithRole,
} from '@cloudlink/shared'
import * as authApi from '@/api/auth'
import * as securityApi from '@/api/security'
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
  /** The person's second factor and whether a workspace makes them enrol one first. */
  const security = ref<SecurityStatus | null>(null)
  /** A sign-in whose password was right, waiting for a code (the second step). */
  const mfaToken = ref<string | null>(null)
  /** Whether /me has been asked since the app started (so the login page knows not to ask again). */
  const checked = ref(false)
  const loading = ref(false)
  const error = ref<ApiError | null>(null)

  const signedIn = computed(() => user.value !== null)
  const currentWorkspace = computed(
    () => workspaces.value.find((w) => w.id === currentWorkspaceId.value) ?? null,
  )
  const isOwner = computed(() => currentWorkspace.value?.role === 'owner')
  const mfaEnrolmentRequired = computed(() => security.value?.mfaEnrolmentRequired === true)

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
      security.value = me.security ?? null
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

  /**
   * Signs in with email and password. Resolves 'mfa' when a second factor is on: the password was
   * right and `mfaToken` now holds the sign-in's second step (see loginWithCode).
   */
  async function login(body: LoginBody): Promise<'done' | 'mfa'> {
    return signIn(() => authApi.login(body))
  }

  /** The second step: a code of the authenticator app, or a recovery code. */
  async function loginWithCode(code: string): Promise<'done' | 'mfa'> {
    const token = mfaToken.value
    if (!token) throw new Error('session store: loginWithCode without a pending sign-in')
    return signIn(() => securityApi.loginWithCode({ mfaToken: token, code }))
  }

  async function signIn(call: () => Promise<LoginResponse>): Promise<'done' | 'mfa'> {
    loading.value = true
    error.value = null
    try {
      await call()
      mfaToken.value = null
    } catch (err: unknown) {
      const apiError = toApiError(err)
      if (apiError.code === 'MFA_REQUIRED') {
        mfaToken.value = (apiError.details as { mfaToken?: string } | undefined)?.mfaToken ?? null
        return 'mfa'
      }
      // Five wrong codes end the second step: back to the password.
      if (mfaToken.value && /enter your email and password again/i.test(apiError.message))
        mfaToken.value = null
      error.value = apiError
      throw error.value
    } finally {
      loading.value = false
    }
    await restore()
    return 'done'
  }

  /** Back from the code to the password (a new sign-in). */
  function cancelMfa(): void {
    mfaToken.value = null
    error.value = null
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
    security.value = null
    workspaces.value = []
    currentWorkspaceId.value = null
  }

  /** Forgets the session but keeps the setup answer: it never goes back to "needed". */
  function reset(): void {
    clear()
    mfaToken.value = null
    checked.value = true
    error.value = null
    loading.value = false
  }

  return {
    user,
    workspaces,
    currentWorkspaceId,
    setupNeeded,
    security,
    mfaToken,
    mfaEnrolmentRequired,
    checked,
    loading,
    error,
    signedIn,
    currentWorkspace,
    isOwner,
    checkSetup,
    restore,
    login,
    loginWithCode,
    cancelMfa,
    setup,
    logout,
    createWorkspace,
    selectWorkspace,
    preferredWorkspaceId,
    clear,
    reset,
  }
})
