import { ref } from 'vue'
import { defineStore } from 'pinia'
import type { ApiToken, CreateApiTokenBody, CreatedApiToken } from '@cloudlink/shared'
import * as tokensApi from '@/api/api-tokens'
import { workspaceList } from './workspace-read'

/** The token as listed: everything the server answered at creation except the secret itself. */
function withoutSecret(created: CreatedApiToken): ApiToken {
  const { token: _secret, ...listed } = created
  return listed
}

/**
 * The open workspace's API tokens (owners only), and the one just created. `created` is the only
 * place the secret lives in the SPA: the page shows it once and calls forgetCreated() when the
 * owner dismisses it or leaves, and reset() drops it at sign-out.
 */
export const useApiTokensStore = defineStore('api-tokens', () => {
  const created = ref<CreatedApiToken | null>(null)
  const { workspaceId, items, loaded, loading, error, requireWorkspace, load, reset } =
    workspaceList('api-tokens', tokensApi.listTokens, () => {
      created.value = null
    })

  /** Creates a token; it is kept in `created` for the one showing, and listed without its secret. */
  async function create(body: CreateApiTokenBody): Promise<CreatedApiToken> {
    const token = await tokensApi.createToken(requireWorkspace(), body)
    created.value = token
    items.value = [withoutSecret(token), ...items.value.filter((i) => i.id !== token.id)]
    return token
  }

  async function revoke(tokenId: string): Promise<void> {
    await tokensApi.revokeToken(requireWorkspace(), tokenId)
    items.value = items.value.filter((i) => i.id !== tokenId)
    if (created.value?.id === tokenId) created.value = null
  }

  function forgetCreated(): void {
    created.value = null
  }

  return {
    workspaceId,
    items,
    created,
    loaded,
    loading,
    error,
    load,
    create,
    revoke,
    forgetCreated,
    reset,
  }
})
