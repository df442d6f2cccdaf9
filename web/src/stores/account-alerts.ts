import { computed, ref } from 'vue'
import { defineStore } from 'pinia'
import type { AccountAlert } from '@cloudlink/shared'
import * as notificationsApi from '@/api/notifications'
import type { ApiError } from '@/api/client'
import { readForWorkspace } from './workspace-read'

/** Who was told about each account's latest event, and when: shown beside a broken account. */
export const useAccountAlertsStore = defineStore('account-alerts', () => {
  const workspaceId = ref<string | null>(null)
  const items = ref<AccountAlert[]>([])
  const loaded = ref(false)
  const loading = ref(false)
  const error = ref<ApiError | null>(null)

  const byAccount = computed(() => new Map(items.value.map((a) => [a.accountId, a])))

  async function load(forWorkspace: string): Promise<void> {
    if (forWorkspace !== workspaceId.value) {
      reset()
      workspaceId.value = forWorkspace
    }
    // Quiet: a side note of the accounts page, never a spinner of its own.
    await readForWorkspace(
      { workspaceId, loaded, loading, error },
      forWorkspace,
      () => notificationsApi.listAccountAlerts(forWorkspace),
      (list) => (items.value = list.items),
      { quiet: true },
    )
  }

  function reset(): void {
    workspaceId.value = null
    items.value = []
    loaded.value = false
    loading.value = false
    error.value = null
  }

  return { workspaceId, items, loaded, loading, error, byAccount, load, reset }
})
