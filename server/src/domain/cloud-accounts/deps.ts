import type { EntityManager } from '@mikro-orm/postgresql'
import type { ProviderRegistry } from '../../providers/registry.js'
import type { Vault } from '../vault/vault.js'

/** What every cloud-account operation works with: plain objects, so the worker and CLI pass theirs. */
export interface AccountsDeps {
  em: EntityManager
  vault: Vault
  providers: ProviderRegistry
}
