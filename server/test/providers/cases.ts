import { PROVIDER_IDS, type ProviderId } from '@cloudlink/shared'

/**
 * Per-provider facts the shared provider tests need. Adding a provider = one entry in `caseOf`
 * (plus its own file for its traps); an id without one fails to compile.
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
  /**
   * false: credentials carry no permissions (Robot web-service users, Hostinger tokens), so a
   * simulator's `scopes: 'insufficient'` credential is simply valid. Default true.
   */
  hasPermissions?: boolean
  /** false: nothing to list (Cloudflare is connected for DNS and storage); the list is empty with a note. */
  listsServers?: boolean
}

type CaseSpec = Omit<ProviderCase, 'id'>

/** OVHcloud EU and CA: one API, two origins. */
const ovh: CaseSpec = {
  malformed: {
    credentials: {
      applicationKey: 'x',
      applicationSecret: 'y'.repeat(32),
      consumerKey: 'z'.repeat(32),
    },
    field: 'credentials.applicationKey',
  },
  hasIdentity: true,
  revokedStatus: 403,
  sendsRetryAfter: true,
}

const caseOf: Record<ProviderId, CaseSpec | null> = {
  'hetzner-cloud': {
    malformed: { credentials: { token: 'short' }, field: 'credentials.token' },
    hasIdentity: false,
    revokedStatus: 401,
    sendsRetryAfter: true,
  },
  digitalocean: {
    malformed: { credentials: { token: 'dop_v1_nothex' }, field: 'credentials.token' },
    hasIdentity: true,
    revokedStatus: 401,
    sendsRetryAfter: true,
  },
  vultr: {
    malformed: { credentials: { apiKey: 'lowercase-key' }, field: 'credentials.apiKey' },
    hasIdentity: true,
    revokedStatus: 401,
    sendsRetryAfter: false,
  },
  linode: {
    malformed: { credentials: { token: 'x' }, field: 'credentials.token' },
    hasIdentity: true,
    revokedStatus: 401,
    sendsRetryAfter: true,
  },
  'hetzner-robot': {
    malformed: {
      credentials: { username: '#ws+abc', password: ' ' },
      field: 'credentials.password',
    },
    hasIdentity: false,
    revokedStatus: 401,
    // Robot's 403 RATE_LIMIT_EXCEEDED gives the window (`interval`), not the time left.
    sendsRetryAfter: false,
    hasPermissions: false,
  },
  upcloud: {
    malformed: { credentials: { token: 'not-a-ucat-token' }, field: 'credentials.token' },
    hasIdentity: true,
    revokedStatus: 401,
    sendsRetryAfter: false,
  },
  hostinger: {
    malformed: { credentials: { token: 'short' }, field: 'credentials.token' },
    hasIdentity: false,
    revokedStatus: 401,
    sendsRetryAfter: true,
    hasPermissions: false,
  },
  cloudflare: {
    malformed: { credentials: { token: 'x'.repeat(39) }, field: 'credentials.token' },
    hasIdentity: true,
    revokedStatus: 401,
    sendsRetryAfter: true,
    listsServers: false,
  },
  scaleway: {
    malformed: {
      credentials: { accessKey: 'SCWDEMOGOOD000000000', secretKey: 'not-a-uuid' },
      field: 'credentials.secretKey',
    },
    hasIdentity: true,
    revokedStatus: 401,
    sendsRetryAfter: false,
  },
  transip: {
    malformed: {
      credentials: { login: 'demo', privateKey: '-----BEGIN PRIVATE KEY-----\nMIIE\n' },
      field: 'credentials.privateKey',
    },
    hasIdentity: true,
    revokedStatus: 401,
    // TransIP sends X-Rate-Limit-Reset (an epoch), not Retry-After.
    sendsRetryAfter: false,
  },
  aws: {
    malformed: {
      credentials: { accessKeyId: 'AKIA1234', secretAccessKey: 'x'.repeat(40) },
      field: 'credentials.accessKeyId',
    },
    hasIdentity: true,
    revokedStatus: 403,
    // STS throttling is a 400 Throttling with no retry hint.
    sendsRetryAfter: false,
  },
  'ovh-eu': ovh,
  'ovh-ca': ovh,
  // OAuth only (no typed-in credential): test/oauth/*.test.ts covers them.
  azure: null,
  gcp: null,
}

export const providerCases: ProviderCase[] = PROVIDER_IDS.flatMap((id) => {
  const spec = caseOf[id]
  return spec ? [{ id, ...spec }] : []
})
