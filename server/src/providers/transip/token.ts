import { createPrivateKey, randomBytes } from 'node:crypto'
import { expectJson, type ProviderResponse } from '../core/http.js'
import { rejected, unexpected } from '../core/outcome.js'
import type { ProviderContext } from '../core/types.js'
import { signAuthBody } from './sign.js'

export const NAME = 'TransIP'
export type Creds = { login: string; privateKey: string }

export const errorOf = (res: ProviderResponse): string => {
  const error = (res.json as { error?: unknown } | undefined)?.error
  return typeof error === 'string' ? error : ''
}

/** What a check asks for: read-only, 30 seconds (the broker asks for more, see ./broker.ts). */
const CHECK_TOKEN = { readOnly: true, expiration: '30 seconds' }

/**
 * Trades the key pair for a short-lived token. Every call mints a token, so the label is unique
 * and the lifetime short: nothing long-lived is left behind in the customer's panel.
 */
export async function issueToken(
  ctx: ProviderContext,
  c: Creds,
  opts: { readOnly: boolean; expiration: string } = CHECK_TOKEN,
): Promise<string> {
  const body = JSON.stringify({
    login: c.login,
    nonce: randomBytes(16).toString('hex'),
    read_only: opts.readOnly,
    expiration_time: opts.expiration,
    label: `cloudlink-${randomBytes(8).toString('hex')}`,
    // A non-global token only works from whitelisted IPs, which this server may not be.
    global_key: true,
  })
  const res = await ctx.http.request('api', '/v6/auth', {
    method: 'POST',
    // The signature covers these exact bytes, so the body is serialized once and sent as is.
    headers: {
      'content-type': 'application/json',
      Signature: signAuthBody(body, createPrivateKey(c.privateKey)),
    },
    body,
  })
  const error = errorOf(res)
  if (res.status === 201) {
    const token = expectJson<{ token?: unknown }>(NAME, res).token
    if (typeof token === 'string' && token) return token
    throw unexpected(NAME, res)
  }
  if (res.status === 401)
    throw rejected(
      `${NAME} refused the key pair for login ${c.login} (${error || 'unauthorized'}): the login may be wrong, or the key pair was deleted or belongs to another account`,
      res,
    )
  if (res.status === 403)
    throw rejected(
      `${NAME} refused API access (${error || 'forbidden'}); the key pair may only accept whitelisted IP addresses`,
      res,
    )
  if (res.status === 409 && /not enabled/i.test(error))
    throw rejected(
      `API access is not enabled for this ${NAME} account (${error}); turn it on in the control panel under Account → API`,
      res,
    )
  throw unexpected(NAME, res)
}

/** The token's claims, read without verifying: they only label the account and time the cache. */
export function claimsOf(token: string): { cid?: unknown; exp?: unknown } {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'))
    return payload && typeof payload === 'object' ? payload : {}
  } catch {
    return {}
  }
}

/** How long a check's token is reused: well inside its 30 seconds, so a slow check never lists
 * with a token about to expire (a 401 there would read as a refused key pair). */
const CHECK_REUSE_MS = 10_000

/**
 * The token of one check: verify always mints one (`fresh`: that is the proof the key pair works)
 * and the listing right after reuses it instead of signing a second request. Keyed by the
 * credentials object the check opened from the vault, so a token never crosses to another check
 * or account and is gone with the check.
 */
const checkTokens = new WeakMap<Creds, { token: Promise<string>; at: number }>()

export function checkToken(
  ctx: ProviderContext,
  c: Creds,
  opts: { fresh?: boolean } = {},
): Promise<string> {
  const now = performance.now()
  const kept = checkTokens.get(c)
  if (kept && !opts.fresh && now - kept.at < CHECK_REUSE_MS) return kept.token
  const token = issueToken(ctx, c)
  checkTokens.set(c, { token, at: now })
  token.catch(() => checkTokens.delete(c))
  return token
}
