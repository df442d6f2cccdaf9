import { UnreachableError, unreachable, type ProviderResponse } from '../core/http.js'
import { rejected, unexpected } from '../core/outcome.js'
import type { ProviderContext } from '../core/types.js'
import { ovhSignature } from './sign.js'

export interface Subsidiary {
  id: 'ovh-eu' | 'ovh-ca'
  name: string
  /** API host; applications and consumer keys exist on one host only. */
  host: string
}

export const SUBSIDIARIES = {
  eu: { id: 'ovh-eu', name: 'OVHcloud Europe', host: 'eu.api.ovh.com' },
  ca: { id: 'ovh-ca', name: 'OVHcloud North America', host: 'ca.api.ovh.com' },
} as const satisfies Record<string, Subsidiary>

export type SubsidiaryCode = keyof typeof SUBSIDIARIES

export interface OvhCreds extends Record<string, string> {
  applicationKey: string
  applicationSecret: string
  consumerKey: string
}

interface OvhError {
  errorCode?: string
  message?: string
}

export type OvhAnswer<T> =
  { ok: true; body: T; res: ProviderResponse } | { ok: false; res: ProviderResponse }

/**
 * The API's clock minus ours, in seconds, from `/auth/time` (unauthenticated). The signature carries
 * a timestamp the API checks against its own clock, so the official clients read the offset first;
 * a server whose clock drifts would otherwise be refused with valid keys.
 */
export async function serverOffset(ctx: ProviderContext, name: string): Promise<number> {
  const res = await ctx.http.request('api', '/1.0/auth/time')
  if (res.status !== 200 || typeof res.json !== 'number' || !Number.isInteger(res.json))
    throw new UnreachableError(
      unreachable('server_error', `${name} did not tell its time (GET /1.0/auth/time)`),
    )
  return res.json - Math.floor(Date.now() / 1000)
}

/** The four `X-Ovh-*` headers of one request: `url` is the full URL as sent, `body` its exact text. */
export function signedHeaders(
  c: OvhCreds,
  method: string,
  url: string,
  body: string,
  offset: number,
): Record<string, string> {
  const timestamp = Math.floor(Date.now() / 1000) + offset
  return {
    'X-Ovh-Application': c.applicationKey,
    'X-Ovh-Consumer': c.consumerKey,
    'X-Ovh-Timestamp': String(timestamp),
    'X-Ovh-Signature': ovhSignature(
      c.applicationSecret,
      c.consumerKey,
      method,
      url,
      body,
      timestamp,
    ),
  }
}

/** A signed conversation with one subsidiary, on the API's clock (see serverOffset). */
export function createOvhClient(ctx: ProviderContext, sub: SubsidiaryCode, c: OvhCreds) {
  const { name } = SUBSIDIARIES[sub]
  let offset: number | undefined

  return {
    /** A signed GET; `extra` headers (e.g. pagination) are sent but, as OVH defines it, not signed. */
    async get<T>(path: string, extra: Record<string, string> = {}): Promise<OvhAnswer<T>> {
      offset ??= await serverOffset(ctx, name)
      const url = ctx.http.url('api', path)
      const res = await ctx.http.request('api', path, {
        headers: { ...extra, ...signedHeaders(c, 'GET', url, '', offset) },
      })
      if (res.status === 200) {
        if (res.json === undefined)
          throw new UnreachableError(
            unreachable('server_error', `${name} sent a response that could not be read`),
          )
        return { ok: true, body: res.json as T, res }
      }
      return { ok: false, res }
    },
  }
}

export const errorCodeOf = (res: ProviderResponse): string =>
  (res.json as OvhError | undefined)?.errorCode ?? ''

/**
 * OVH tells its refusals apart only by `errorCode`: 403 for unknown keys and missing rules alike,
 * 400 for a wrong secret. `rule` is the access rule the failed call needs.
 */
export function ovhFailure(sub: SubsidiaryCode, res: ProviderResponse, rule: string): Error {
  const here = SUBSIDIARIES[sub]
  const other = SUBSIDIARIES[sub === 'eu' ? 'ca' : 'eu']
  const err = (res.json as OvhError | undefined) ?? {}
  const code = err.errorCode ?? ''
  const said = err.message ? ` (${code}: ${err.message})` : ` (${code})`
  switch (code) {
    case 'INVALID_KEY':
      return rejected(
        `This application key is not known to ${here.name}${said}; keys created on ${other.host} work only with ${other.name}. Create the application on ${here.host}, or connect these keys as ${other.name}`,
        res,
        code,
      )
    case 'INVALID_CREDENTIAL':
      return rejected(
        `${here.name} does not accept the consumer key${said}: it was revoked, has expired or was never validated; create a new one`,
        res,
        code,
      )
    case 'NOT_CREDENTIAL':
      return rejected(`${here.name} does not know this consumer key${said}`, res, code)
    case 'INVALID_SIGNATURE':
      return rejected(
        `${here.name} rejected the request signature${said}: the application secret does not belong to this application key`,
        res,
        code,
      )
    case 'NOT_GRANTED_CALL':
      return rejected(
        `The consumer key lacks the access rule ${rule}${said}; create a consumer key that grants it`,
        res,
        code,
      )
    case 'FORBIDDEN':
      return rejected(
        `An IAM policy of the account denies ${rule}${said}; allow it for this application`,
        res,
        code,
      )
    case 'QUERY_TIME_OUT':
      return new UnreachableError(
        unreachable('server_error', `${here.name} refused the request time${said}`),
      )
    default:
      return unexpected(here.name, res)
  }
}
