import { computed, ref } from 'vue'
import { defineStore } from 'pinia'
import type { Provider, ProviderList } from '@cloudlink/shared'
import * as providersApi from '@/api/providers'
import { toApiError, type ApiError } from '@/api/client'
import { offersOAuth } from '@/composables/connect-methods'

/** The provider catalogue: fields, console links, permissions, sandbox demo credentials. */
export const useProvidersStore = defineStore('providers', () => {
  const items = ref<Provider[]>([])
  const sandbox = ref(false)
  const demoCredentials = ref<ProviderList['demoCredentials']>([])
  const lastSweepAt = ref<string | null>(null)
  const loaded = ref(false)
  const loading = ref(false)
  const error = ref<ApiError | null>(null)

  const byId = computed(() => new Map(items.value.map((p) => [p.id as string, p])))
  /** The picker's groups. A provider with both ways (DigitalOcean) is in the first, with both. */
  const credentialProviders = computed(() => items.value.filter((p) => p.authType !== 'oauth'))
  const oauthProviders = computed(() => items.value.filter((p) => p.authType === 'oauth'))
  /** Credential providers that offer one-click connect too. */
  const alsoOAuthProviders = computed(() => credentialProviders.value.filter(offersOAuth))

  async function load(force = false): Promise<void> {
    if ((loaded.value && !force) || loading.value) return
    loading.value = true
    error.value = null
    try {
      const list = await providersApi.listProviders()
      items.value = list.items
      sandbox.value = list.sandbox
      demoCredentials.value = list.demoCredentials
      lastSweepAt.value = list.lastSweepAt
      loaded.value = true
    } catch (err: unknown) {
      error.value = toApiError(err)
    } finally {
      loading.value = false
    }
  }

  function reset(): void {
    items.value = []
    sandbox.value = false
    demoCredentials.value = []
    lastSweepAt.value = null
    loaded.value = false
    loading.value = false
    error.value = null
  }

  return {
    items,
    sandbox,
    demoCredentials,
    lastSweepAt,
    loaded,
    loading,
    error,
    byId,
    credentialProviders,
    oauthProviders,
    alsoOAuthProviders,
    load,
    reset,
  }
})
