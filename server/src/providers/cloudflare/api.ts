import type { Identity } from '@cloudlink/shared'
import { expectJson, UnreachableError, type ProviderResponse } from '../core/http.js'
import { maskTail } from '../core/hint.js'
import { rejected, unexpected } from '../core/outcome.js'
import type { ProviderContext } from '../core/types.js'

export const NAME = 'Cloudflare'
export type Creds = { token: string } | { token: string; accountId: string }

interface Envelope<T> {
  success?: boolean
  errors?: { code?: number; message?: string }[]
  result?: T
}
export interface TokenStatus {
  id?: string
  status?: string
  expires_on?: string
  not_before?: string
}
interface CfAccount {
  id: string
  name?: string
}

/** Cloudflare's invalid-token status varies (401, 400, 403): the code is what counts. */
const INVALID_TOKEN = 1000
/** "Unauthorized to access requested resource" and "Authentication error": valid, not allowed. */
const NOT_ALLOWED = new Set([9109, 10000])

export const accountIdOf = (c: Creds) => ('accountId' in c ? c.accountId : undefined)
const shortAccount = (id: string) => maskTail(id)

function errorsOf(res: ProviderResponse) {
  const errors = (res.json as Envelope<unknown> | undefined)?.errors ?? []
  return {
    codes: new Set(errors.map((e) => e.code)),
    text: errors.map((e) => `${e.message ?? 'error'} (${e.code ?? '?'})`).join('; '),
    first: errors[0]?.code === undefined ? undefined : String(errors[0].code),
  }
}

export const call = (ctx: ProviderContext, token: string, path: string) =>
  ctx.http.request('api', `/client/v4${path}`, { headers: { authorization: `Bearer ${token}` } })

export function okResult<T>(res: ProviderResponse): T {
  const body = expectJson<Envelope<T>>(NAME, res)
  if (body.success === false || body.result === undefined) throw unexpected(NAME, res)
  return body.result
}

/**
 * The token's own verify endpoint. An account-owned token is "Invalid API Token" on the user
 * endpoint, so with an account id the account endpoint goes first; a user token entered with an
 * account id is then tried once on the user endpoint (Cloudflare has no login lockout).
 */
export async function verifyToken(ctx: ProviderContext, c: Creds): Promise<TokenStatus> {
  const accountId = accountIdOf(c)
  if (accountId) {
    const res = await call(ctx, c.token, `/accounts/${accountId}/tokens/verify`)
    if (res.status === 200) return okResult<TokenStatus>(res)
    const { codes, text, first } = errorsOf(res)
    if ([...codes].some((code) => code !== undefined && NOT_ALLOWED.has(code)))
      throw rejected(
        `The token is not valid for account ${shortAccount(accountId)} (${text}); check the Account ID`,
        res,
        first,
      )
    if (!codes.has(INVALID_TOKEN)) throw unexpected(NAME, res)
  }
  const res = await call(ctx, c.token, '/user/tokens/verify')
  if (res.status === 200) return okResult<TokenStatus>(res)
  const { codes, text, first } = errorsOf(res)
  if (codes.has(INVALID_TOKEN))
    throw rejected(
      accountId
        ? `${NAME} rejected the token for account ${shortAccount(accountId)} and as a user token (${text}); it may be revoked, or belong to another account`
        : `${NAME} rejected the token (${text}); it may be revoked, or it is an account API token, which also needs the Account ID`,
      res,
      first,
    )
  throw unexpected(NAME, res)
}

/** A verify answer of 200 still carries the token's state; only `active` can be used. */
export function checkStatus(status: TokenStatus, res: number) {
  if (status.status === 'active' || status.status === undefined) return
  if (status.status === 'expired')
    throw rejected(
      `The token expired${status.expires_on ? ` on ${status.expires_on}` : ''}; roll it or create a new one`,
      res,
      'expired',
    )
  throw rejected(
    `The token is ${status.status} in the Cloudflare dashboard; enable it or create a new one`,
    res,
    status.status,
  )
}

/** Zone: Read is what a DNS connection needs first; the verify call checks no permission at all. */
export async function probeZones(ctx: ProviderContext, c: Creds): Promise<void> {
  const accountId = accountIdOf(c)
  const filter = accountId ? `&account.id=${accountId}` : ''
  const res = await call(ctx, c.token, `/zones?per_page=1${filter}`)
  if (res.status === 200) return void okResult<unknown>(res)
  const { codes, text, first } = errorsOf(res)
  if (codes.has(INVALID_TOKEN)) throw rejected(`${NAME} rejected the token (${text})`, res, first)
  if ([...codes].some((code) => code !== undefined && NOT_ALLOWED.has(code)))
    throw rejected(
      `The token lacks the Zone → Zone: Read permission (${text}); add it, with DNS: Edit, to the token`,
      res,
      first,
    )
  throw unexpected(NAME, res)
}

/**
 * The account the token works for, when that is unambiguous. Best effort: the credential is
 * already proven, so a refused or failed look-up only leaves the identity thinner.
 */
export async function accountIdentity(ctx: ProviderContext, c: Creds): Promise<Identity | null> {
  const accountId = accountIdOf(c)
  const fallback = accountId ? { id: accountId } : null
  let res: ProviderResponse
  try {
    res = await call(ctx, c.token, '/accounts?per_page=50')
  } catch (err: unknown) {
    if (err instanceof UnreachableError) return fallback
    throw err
  }
  if (res.status !== 200) return fallback
  const accounts = (res.json as Envelope<CfAccount[]> | undefined)?.result
  if (!Array.isArray(accounts)) return fallback
  const match = accountId
    ? accounts.find((a) => a.id === accountId)
    : accounts.length === 1
      ? accounts[0]
      : undefined
  if (!match) return fallback
  return { id: match.id, ...(match.name ? { name: match.name } : {}) }
}
