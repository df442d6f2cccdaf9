import type {
  Capability,
  Credentials,
  ProviderDescriptor,
  ProviderId,
  ServerListResult,
  VerifyResult,
} from '@cloudlink/shared'
import type { BrokerScheme } from './broker.js'
import type { ProviderContext } from './context.js'
import type { OAuthSpec } from './oauth/spec.js'
import type { ProbeResult } from './probe.js'

export type { ProviderContext } from './context.js'

/** A documented request quota: at most `requests` in any window of `perMs`. */
export interface RequestBudget {
  requests: number
  perMs: number
}

/** What a recheck sweep must respect with this provider (the sweep's gate and lanes read it). */
export interface ProviderLimits {
  /** Checks in flight at most, whatever RECHECK_CONCURRENCY says by default (an override wins). */
  maxConcurrency?: number
  /**
   * Kept per instance during a sweep, on top of any pause the provider asks for, and per
   * credential in the database ledger that checks and broker calls of every instance spend from.
   */
  budget?: RequestBudget
  /**
   * The provider blocks the caller's IP after a few failed logins (Hetzner Robot): a credential it
   * refused on a broker call waits for the sweep instead of being checked again at once.
   */
  lockout?: boolean
}

export interface ProviderModule<C extends Credentials = Credentials> {
  descriptor: ProviderDescriptor & { id: ProviderId }
  /** The provider's real origins by name; each is replaced by PROVIDER_URL_<ID> when set. */
  origins: Record<string, string>
  /**
   * Format check before any network call. Returns the normalized credential (trimmed, legacy forms
   * rewritten) or throws VALIDATION_FAILED naming the field (see `fieldError`).
   */
  validate(credentials: Credentials): C
  verify(ctx: ProviderContext, credentials: C): Promise<VerifyResult>
  listServers(ctx: ProviderContext, credentials: C): Promise<ServerListResult>
  /**
   * What the credential may do per declared capability, proven without side effects (reads,
   * introspection, dry runs, policy simulation). Never throws; unanswered capabilities are absent.
   */
  probe(
    ctx: ProviderContext,
    credentials: C,
    capabilities: readonly Capability[],
  ): Promise<ProbeResult>
  /** A fixed public prefix plus at most the last 4 characters; never more of a secret. */
  hint(credentials: C): string
  /**
   * The stable identity of a credential for duplicate detection (fed to an HMAC, never stored):
   * e.g. the token, or key id + secret.
   */
  canonical(credentials: C): string
  /** Say so when the provider is not usable in this installation (e.g. OAuth app not configured). */
  available?: (env: { oauth: Record<string, string> }) => boolean
  /** One-click connect through the provider's OAuth server (alone, or beside a typed-in token). */
  oauth?: OAuthSpec
  /**
   * Rate limits tight enough to matter; most providers have none. A `budget` is also kept per
   * credential across instances, shared by checks and broker calls (domain/budget).
   */
  limits?: ProviderLimits
  /** How the broker forwards calls with this credential (the provider folder's broker.ts). */
  broker: BrokerScheme<C>
}
