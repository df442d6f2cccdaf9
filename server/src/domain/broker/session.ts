import type { EntityManager } from '@mikro-orm/postgresql'
import type { BrokerSession, ProviderId } from '@cloudlink/shared'
import { conflict } from '../../errors.js'
import type { ProviderRegistry } from '../../providers/registry.js'
import { accountContext } from '../cloud-accounts/account-context.js'
import { findAccount } from '../cloud-accounts/queries.js'
import type { Vault } from '../vault/vault.js'
import { openFresh, providerFailure } from './credential.js'

/** AWS STS GetSessionToken takes 900 s to 36 h; Cloudlink hands out at most an hour. */
export const SESSION_SECONDS = { min: 900, max: 3600 }

/**
 * A short-lived credential for tools that cannot go through the broker (Terraform): an AWS session
 * from STS, or an OAuth grant's current access token (renewed first when about to expire). Other
 * providers have nothing short-lived to give: 409.
 */
export async function mintSession(
  deps: { em: EntityManager; vault: Vault; providers: ProviderRegistry },
  target: { workspaceId: string; accountId: string; durationSeconds: number },
): Promise<{ session: BrokerSession; provider: ProviderId }> {
  const account = await findAccount(deps, target.workspaceId, target.accountId)
  const module = deps.providers.get(account.provider)
  const ctx = accountContext(deps, account)
  const name = module.descriptor.name
  const none = () =>
    conflict(
      `${name} has no short-lived credentials for this account; use the broker (…/proxy/…) instead`,
    )
  if (!module.oauth && !module.broker.session) throw none()
  const opened = await openFresh(deps, { module, ctx, account })
  if (!opened.ok) throw providerFailure(opened.result)
  if (opened.grant)
    return {
      session: { accessToken: opened.grant.accessToken, expiresAt: opened.grant.expiresAt },
      provider: account.provider,
    }
  if (!module.broker.session) throw none()
  try {
    const session = await module.broker.session(ctx, opened.credentials, target.durationSeconds)
    return { session, provider: account.provider }
  } catch (err: unknown) {
    throw providerFailure(err)
  }
}
