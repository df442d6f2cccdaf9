import type { Identity, UnreachableReason } from './schemas/cloud-accounts.js'
import type { Provider } from './providers.js'

/** What a provider declares about itself; `available` is decided at run time (e.g. OAuth configured). */
export type ProviderDescriptor = Omit<Provider, 'available'>

/**
 * The outcome of asking a provider whether a credential works. Only the provider's authoritative
 * "this credential is invalid, revoked, expired or lacks permission" is `rejected`; anything that
 * merely failed to get an answer is `unreachable` and must never change an account's status.
 */
export type VerifyResult =
  | { outcome: 'verified'; identity: Identity | null; warnings: string[] }
  | { outcome: 'rejected'; reason: string; providerStatus: number; providerCode?: string }
  | { outcome: 'unreachable'; reason: UnreachableReason; message: string; retryAfter?: number }

/** A server as a provider lists it, before Cloudlink stores it. */
export interface ServerInfo {
  providerServerId: string
  name: string
  status: string
  region: string | null
  ipv4: string | null
  /** The product line, where a provider has several (OVHcloud: `dedicated`, `vps`, `instance`). */
  kind?: string
}

export type ServerListResult =
  | { outcome: 'listed'; servers: ServerInfo[]; note?: string }
  | Exclude<VerifyResult, { outcome: 'verified' }>
