import type { Account, AuthResult, SimRequest } from './spec.js'

/** Auth schemes several providers share. Signed schemes (SigV4, OVH) write their own hook. */

export function bearerToken(req: SimRequest): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')
  return match?.[1] ?? null
}

export function basicLogin(req: SimRequest): string | null {
  const match = /^Basic\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')
  if (!match?.[1]) return null
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  return decoded.includes(':') ? decoded : null
}

/** For single-token providers: the store key is the token itself. */
export const bearerAuth = (req: SimRequest, find: (key: string) => Account | undefined) =>
  lookup(bearerToken(req), find)

/** For HTTP Basic providers: the store key is `user:password` (the default key of two fields). */
export const basicAuth = (req: SimRequest, find: (key: string) => Account | undefined) =>
  lookup(basicLogin(req), find)

const lookup = (
  credential: string | null,
  find: (key: string) => Account | undefined,
): AuthResult => (credential === null ? { credential } : { credential, account: find(credential) })
