import { computed, ref } from 'vue'
import { defineStore } from 'pinia'
import type {
  CloudAccount,
  ConnectBody,
  ReconnectBody,
  Server,
  UpdateAccountBody,
} from '@cloudlink/shared'
import * as accountsApi from '@/api/cloud-accounts'
import { toApiError, type ApiError } from '@/api/client'
import { readForWorkspace } from './workspace-read'
import type { RowNotice } from '@/composables/account-health'

/** UI state of one account's server list (the servers themselves are the API's Server type). */
export interface ServersState {
  items: Server[]
  note: string | null
  loaded: boolean
  loading: boolean
  error: ApiError | null
}

export type RowAction = 'recheck' | 'default'

/**
 * The open workspace's cloud accounts, with per-row pending actions, errors and notices (what an
 * action on that card said: shown at the card, not at the top of the page).
 */
export const useCloudAccountsStore = defineStore('cloud-accounts', () => {
  const workspaceId = ref<string | null>(null)
  const items = ref<CloudAccount[]>([])
  const loaded = ref(false)
  const loading = ref(false)
  const error = ref<ApiError | null>(null)
  const pending = ref<Record<string, RowAction>>({})
  const rowErrors = ref<Record<string, ApiError>>({})
  const notices = ref<Record<string, RowNotice>>({})
  const servers = ref<Record<string, ServersState>>({})
  const readState = { workspaceId, loaded, loading, error }

  const isEmpty = computed(() => loaded.value && items.value.length === 0)

  function requireWorkspace(): string {
    if (!workspaceId.value) throw new Error('cloud-accounts store: load(workspaceId) first')
    return workspaceId.value
  }

  function upsert(account: CloudAccount): void {
    const index = items.value.findIndex((a) => a.id === account.id)
    if (index === -1) items.value = [...items.value, account]
    else items.value = items.value.map((a) => (a.id === account.id ? account : a))
  }

  let inflight: { workspaceId: string; promise: Promise<void> } | null = null

  /**
   * Reads the list. `reuse` joins a read of the same workspace already in flight (the router
   * starts one on the first visit, while it is still checking the session); other callers want
   * an answer that reflects what they just did, so they always ask anew.
   */
  async function load(
    forWorkspace: string,
    options: { quiet?: boolean; reuse?: boolean } = {},
  ): Promise<void> {
    if (options.reuse && inflight?.workspaceId === forWorkspace) return inflight.promise
    if (forWorkspace !== workspaceId.value) {
      reset()
      workspaceId.value = forWorkspace
    }
    const promise = readForWorkspace(
      readState,
      forWorkspace,
      () => accountsApi.listAccounts(forWorkspace),
      (list) => (items.value = list.items),
      options,
    )
    inflight = { workspaceId: forWorkspace, promise }
    try {
      await promise
    } finally {
      if (inflight?.promise === promise) inflight = null
    }
  }

  /** Throws the ApiError so the guided panel can show PROVIDER_REJECTED etc. inline. */
  async function connect(body: ConnectBody, signal?: AbortSignal): Promise<CloudAccount> {
    const account = await accountsApi.connectAccount(requireWorkspace(), body, signal)
    upsert(account)
    return account
  }

  async function reconnect(
    accountId: string,
    body: ReconnectBody,
    signal?: AbortSignal,
  ): Promise<CloudAccount> {
    const account = await accountsApi.reconnectAccount(requireWorkspace(), accountId, body, signal)
    upsert(account)
    dismiss(accountId)
    return account
  }

  async function update(accountId: string, body: UpdateAccountBody): Promise<CloudAccount> {
    const ws = requireWorkspace()
    const account = await accountsApi.updateAccount(ws, accountId, body)
    upsert(account)
    // Another account may have lost its default flag: refresh the list behind the scenes.
    if (body.isDefault) void load(ws, { quiet: true })
    return account
  }

  async function runRowAction(
    accountId: string,
    action: RowAction,
    call: () => Promise<CloudAccount>,
  ): Promise<CloudAccount | null> {
    pending.value = { ...pending.value, [accountId]: action }
    dismiss(accountId)
    try {
      const account = await call()
      upsert(account)
      return account
    } catch (err: unknown) {
      rowErrors.value = { ...rowErrors.value, [accountId]: toApiError(err) }
      return null
    } finally {
      const { [accountId]: _done, ...rest } = pending.value
      pending.value = rest
    }
  }

  const recheck = (accountId: string) =>
    runRowAction(accountId, 'recheck', () =>
      accountsApi.recheckAccount(requireWorkspace(), accountId),
    )

  const setDefault = (accountId: string) =>
    runRowAction(accountId, 'default', () => update(accountId, { isDefault: true }))

  /** Says something at one card; replaces what that card said before. */
  function notify(accountId: string, notice: RowNotice): void {
    notices.value = { ...notices.value, [accountId]: notice }
  }

  /** Forgets a card's notice and error (its dismiss button). */
  function dismiss(accountId: string): void {
    const { [accountId]: _notice, ...restNotices } = notices.value
    notices.value = restNotices
    const { [accountId]: _error, ...restErrors } = rowErrors.value
    rowErrors.value = restErrors
  }

  /** Success notices last until the next action; warnings and errors until dismissed. */
  function clearSuccess(): void {
    notices.value = Object.fromEntries(
      Object.entries(notices.value).filter(([, notice]) => notice.tone !== 'success'),
    )
  }

  async function remove(accountId: string): Promise<void> {
    await accountsApi.removeAccount(requireWorkspace(), accountId)
    items.value = items.value.filter((a) => a.id !== accountId)
    const { [accountId]: _servers, ...rest } = servers.value
    servers.value = rest
  }

  async function loadServers(accountId: string, force = false): Promise<void> {
    const current = servers.value[accountId]
    if (current?.loading || (current?.loaded && !force)) return
    const state: ServersState = {
      items: current?.items ?? [],
      note: current?.note ?? null,
      loaded: false,
      loading: true,
      error: null,
    }
    servers.value = { ...servers.value, [accountId]: state }
    try {
      const list = await accountsApi.listServers(requireWorkspace(), accountId)
      servers.value = {
        ...servers.value,
        [accountId]: {
          ...state,
          items: list.items,
          note: list.note ?? null,
          loaded: true,
          loading: false,
        },
      }
    } catch (err: unknown) {
      servers.value = {
        ...servers.value,
        [accountId]: { ...state, loading: false, error: toApiError(err) },
      }
    }
  }

  function reset(): void {
    workspaceId.value = null
    items.value = []
    loaded.value = false
    loading.value = false
    error.value = null
    pending.value = {}
    rowErrors.value = {}
    notices.value = {}
    servers.value = {}
  }

  return {
    workspaceId,
    items,
    loaded,
    loading,
    error,
    pending,
    rowErrors,
    notices,
    servers,
    isEmpty,
    load,
    connect,
    reconnect,
    update,
    recheck,
    setDefault,
    notify,
    dismiss,
    clearSuccess,
    remove,
    loadServers,
    reset,
  }
})
