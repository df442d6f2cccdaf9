import type { Credentials } from '@cloudlink/shared'
import { fieldError } from '../validate.js'
import type { TokenSet } from './spec.js'

/**
 * An OAuth grant as it is sealed in the vault in place of a typed-in credential. `subject` is the
 * provider identity the grant belongs to (not a secret); the tokens never leave the vault but
 * towards the provider.
 */
export interface GrantCredentials {
  [field: string]: string
  accessToken: string
  refreshToken: string
  /** ISO 8601: when the access token stops working. */
  expiresAt: string
  subject: string
  scope: string
}

const FIELDS = ['accessToken', 'refreshToken', 'expiresAt', 'subject', 'scope'] as const

/** Renewed this long before the access token expires, so no check starts with a dying token. */
export const REFRESH_AHEAD_MS = 5 * 60 * 1000

export const isGrant = (c: Credentials): boolean => 'refreshToken' in c && 'subject' in c

/** The grant's shape, checked like any credential (these come from our own callback, or a fake). */
export function validateGrant(c: Credentials): GrantCredentials {
  for (const name of Object.keys(c))
    if (!(FIELDS as readonly string[]).includes(name))
      throw fieldError(name, 'is not a field of an OAuth grant')
  for (const name of FIELDS)
    if (typeof c[name] !== 'string' || (name !== 'scope' && !c[name]?.trim()))
      throw fieldError(name, 'is required')
  if (Number.isNaN(Date.parse(c.expiresAt as string)))
    throw fieldError('expiresAt', 'must be an ISO 8601 time')
  return Object.fromEntries(FIELDS.map((name) => [name, c[name] as string])) as GrantCredentials
}

/** A grant from a token answer; a refresh that returns no new refresh token keeps the old one. */
export function toGrant(
  tokens: TokenSet,
  subject: string,
  previous?: GrantCredentials,
): GrantCredentials {
  const refreshToken = tokens.refreshToken ?? previous?.refreshToken
  if (!refreshToken) throw new Error('a grant needs a refresh token')
  return {
    accessToken: tokens.accessToken,
    refreshToken,
    expiresAt: new Date(tokens.expiresAt).toISOString(),
    subject,
    scope: tokens.scope ?? previous?.scope ?? '',
  }
}

export const needsRefresh = (grant: GrantCredentials, now = Date.now()): boolean =>
  !(Date.parse(grant.expiresAt) - now > REFRESH_AHEAD_MS)

/** `OAuth ••••1a2b`: the last 4 characters of the provider account id, never of a token. */
export const grantHint = (grant: GrantCredentials): string =>
  `OAuth ••••${grant.subject.length > 4 ? grant.subject.slice(-4) : ''}`

/** Duplicates are the same provider identity, whichever grant (or refresh) is stored. */
export const grantCanonical = (grant: GrantCredentials): string => `oauth:${grant.subject}`

/** Parses a token endpoint's success body (RFC 6749 §5.1); null when it carries no access token. */
export function parseTokenSet(body: unknown, now = Date.now()): TokenSet | null {
  if (!body || typeof body !== 'object') return null
  const b = body as Record<string, unknown>
  if (typeof b.access_token !== 'string' || !b.access_token) return null
  const expiresIn = Number(b.expires_in)
  // No expiry given: assume an hour, so the token is renewed rather than trusted forever.
  const ttl = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600
  return {
    accessToken: b.access_token,
    ...(typeof b.refresh_token === 'string' && b.refresh_token
      ? { refreshToken: b.refresh_token }
      : {}),
    expiresAt: now + ttl * 1000,
    ...(typeof b.scope === 'string' ? { scope: b.scope } : {}),
  }
}

/** A provider's error text, made safe to show and store: one line, printable, bounded. */
export const cleanDescription = (value: unknown, max = 300): string =>
  typeof value === 'string'
    ? value
        .replace(/\p{Cc}+/gu, ' ')
        .trim()
        .slice(0, max)
    : ''
