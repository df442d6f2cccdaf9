import type { ProviderId } from '@cloudlink/shared'

/**
 * Per-provider facts the shared provider tests need. Adding a provider = one row here (plus its
 * own file for its traps).
 */
export interface ProviderCase {
  id: ProviderId
  /** A credential that fails the format check, and the field the 400 must name. */
  malformed: { credentials: Record<string, string>; field: string }
  /** Whether a verified credential identifies the account (some providers have no whoami). */
  hasIdentity: boolean
  /** The HTTP status the provider uses for a revoked credential. */
  revokedStatus: number
  /** Whether its rate-limit answer says when to come back (Vultr documents no header). */
  sendsRetryAfter: boolean
}

export const providerCases: ProviderCase[] = [
  {
    id: 'hetzner-cloud',
    malformed: { credentials: { token: 'short' }, field: 'credentials.token' },
    hasIdentity: false,
    revokedStatus: 401,
    sendsRetryAfter: true,
  },
  {
    id: 'digitalocean',
    malformed: { credentials: { token: 'dop_v1_nothex' }, field: 'credentials.token' },
    hasIdentity: true,
    revokedStatus: 401,
    sendsRetryAfter: true,
  },
  {
    id: 'vultr',
    malformed: { credentials: { apiKey: 'lowercase-key' }, field: 'credentials.apiKey' },
    hasIdentity: true,
    revokedStatus: 401,
    sendsRetryAfter: false,
  },
  {
    id: 'linode',
    malformed: { credentials: { token: 'x' }, field: 'credentials.token' },
    hasIdentity: true,
    revokedStatus: 401,
    sendsRetryAfter: true,
  },
]
