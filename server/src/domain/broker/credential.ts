import type { EntityManager } from '@mikro-orm/postgresql'
import type { CloudAccount } from '../../db/entities/index.js'
import { ApiError, providerRejected, providerUnreachable, rateLimited } from '../../errors.js'
import { UnreachableError, unreachable, type Unreachable } from '../../providers/core/http.js'
import { RejectedError, type Rejected } from '../../providers/core/outcome.js'
import type { ProviderContext, ProviderModule } from '../../providers/core/types.js'
import { freshCredentials } from '../oauth/fresh-grant.js'
import { sealedOf } from '../vault/sealed-row.js'
import type { Vault } from '../vault/vault.js'

/**
 * The stored credential, opened for one broker call or session and never kept: an OAuth grant
 * renewed first when its access token is about to expire (and stored at once, as a check's renewal
 * is). The caller drops it when the call is done.
 */
export async function openFresh(
  deps: { em: EntityManager; vault: Vault },
  target: { module: ProviderModule; ctx: ProviderContext; account: CloudAccount },
) {
  const { account } = target
  const credentials = deps.vault.open<Record<string, string>>(sealedOf(account), {
    workspaceId: account.workspaceId,
    accountId: account.id,
  })
  return freshCredentials(deps, { ...target, credentials })
}

/**
 * What a provider conversation of ours (a token renewal, TransIP's token, OVH's clock, STS) ended
 * with, as the API's error: refused → 422 PROVIDER_REJECTED, rate limited (the provider, or the
 * credential's spent budget) → 429 with its wait, anything else → 502 PROVIDER_UNREACHABLE.
 */
export function providerFailure(failure: unknown): ApiError {
  if (failure instanceof ApiError) return failure
  const result: Rejected | Unreachable | undefined =
    failure instanceof RejectedError || failure instanceof UnreachableError
      ? failure.result
      : failure && typeof failure === 'object' && 'outcome' in failure
        ? (failure as Rejected | Unreachable)
        : undefined
  if (!result)
    return providerUnreachable(
      unreachable('server_error', 'The provider sent an answer Cloudlink could not understand'),
    )
  if (result.outcome === 'rejected') return providerRejected(result)
  if (result.reason === 'rate_limited') return rateLimited(result.message, result.retryAfter)
  return providerUnreachable(result)
}
