import { createHash, timingSafeEqual } from 'node:crypto'
import { chars, randomRng } from '../generate.js'
import { json, parseJson } from '../http.js'
import type { SimRequest, SimResponse } from '../spec.js'
import {
  plainConsent,
  type Consent,
  type Grant,
  type OAuthFlavor,
  type ServerState,
} from './oauth-types.js'

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url')

const sameSecret = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

/** Query parameters, overridden by a form (or JSON) body: providers accept both. */
function paramsOf(req: SimRequest): URLSearchParams {
  const params = new URLSearchParams(req.url.search)
  const type = req.headers['content-type'] ?? ''
  if (type.includes('application/json')) {
    const body = parseJson(req.body)
    if (body && typeof body === 'object')
      for (const [k, v] of Object.entries(body)) if (typeof v === 'string') params.set(k, v)
  } else if (req.body) for (const [k, v] of new URLSearchParams(req.body)) params.set(k, v)
  return params
}

function clientOf(req: SimRequest, params: URLSearchParams) {
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '')
  if (basic?.[1]) {
    const [id, ...rest] = Buffer.from(basic[1], 'base64').toString('utf8').split(':')
    return { id: decodeURIComponent(id ?? ''), secret: decodeURIComponent(rest.join(':')) }
  }
  return { id: params.get('client_id') ?? '', secret: params.get('client_secret') ?? '' }
}

function redirectTo(target: string, query: Record<string, string>): SimResponse {
  const url = new URL(target)
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v)
  return { status: 302, headers: { location: url.toString() }, body: '' }
}

/**
 * The protocol endpoints of one simulated authorization server: authorize (RFC 6749 §4.1 with
 * PKCE, RFC 7636), token (code and refresh grants) and revoke (RFC 7009).
 */
export function createEndpoints(flavor: OAuthFlavor, stateOf: (req: SimRequest) => ServerState) {
  /** The consent configured for this authorization; counts it against `times`. */
  function takeConsent(st: ServerState): Consent {
    const consent = st.consent
    if (consent.times !== null && --consent.times <= 0) st.consent = plainConsent()
    return consent
  }

  function issue(st: ServerState, grant: Grant, now: number, withRefresh: boolean) {
    const rng = randomRng()
    const expiresAt = now + st.accessTokenTtl * 1000
    const accessToken = flavor.accessToken(rng, grant, expiresAt)
    st.accessTokens.set(accessToken, { grant: grant.id, expiresAt })
    let refreshToken: string | undefined
    if (withRefresh) {
      refreshToken = flavor.refreshToken(rng)
      st.refreshTokens.set(refreshToken, grant.id)
    }
    return json(
      200,
      {
        access_token: accessToken,
        token_type: flavor.tokenType,
        expires_in: st.accessTokenTtl,
        ...(refreshToken ? { refresh_token: refreshToken } : {}),
        scope: grant.scope,
        ...flavor.tokenExtras?.(grant),
      },
      { 'cache-control': 'no-store', pragma: 'no-cache' },
    )
  }

  function authorize(req: SimRequest, now: number): SimResponse {
    const st = stateOf(req)
    const q = req.url.searchParams
    const clientId = q.get('client_id') ?? ''
    const redirectUri = q.get('redirect_uri') ?? ''
    // Like the real servers: no redirect to an address the client has not proven to own.
    if (!st.clients.has(clientId))
      return json(400, { error: 'invalid_client', error_description: 'Unknown client_id' })
    if (!/^https?:\/\/[^\s]+$/.test(redirectUri))
      return json(400, { error: 'invalid_request', error_description: 'redirect_uri is required' })
    const back = (query: Record<string, string>) =>
      redirectTo(redirectUri, {
        ...query,
        ...(q.has('state') ? { state: q.get('state') ?? '' } : {}),
      })
    if (q.get('response_type') !== 'code')
      return back({
        error: 'unsupported_response_type',
        error_description: 'Only code is supported',
      })
    const challenge = q.get('code_challenge')
    const method = challenge ? (q.get('code_challenge_method') ?? 'plain') : null
    if (method && method !== 'S256' && method !== 'plain')
      return back({
        error: 'invalid_request',
        error_description: 'Unsupported code_challenge_method',
      })
    const consent = takeConsent(st)
    if (consent.deny)
      return back({ error: consent.deny.error, error_description: consent.deny.description })
    const scope = consent.grantedScope ?? q.get('scope') ?? flavor.defaultScope
    const code = flavor.code(randomRng())
    st.codes.set(code, {
      clientId,
      redirectUri,
      challenge: challenge && consent.tamperChallenge ? s256(`tampered:${challenge}`) : challenge,
      method,
      scope,
      account: st.user,
      expiresAt: now + 10 * 60 * 1000,
    })
    return back({ code, ...flavor.redirectExtras?.({ scope }) })
  }

  function token(req: SimRequest, now: number): SimResponse {
    const st = stateOf(req)
    const params = paramsOf(req)
    const client = clientOf(req, params)
    const secret = st.clients.get(client.id)
    if (secret === undefined || !sameSecret(secret, client.secret))
      return flavor.tokenError(401, 'invalid_client', 'Client authentication failed')
    const grantType = params.get('grant_type')
    if (grantType === 'authorization_code') {
      const code = st.codes.get(params.get('code') ?? '')
      // Single use: a replayed code is refused like an unknown one.
      st.codes.delete(params.get('code') ?? '')
      if (!code || code.expiresAt <= now || code.clientId !== client.id)
        return flavor.tokenError(
          400,
          'invalid_grant',
          'The authorization code is invalid or has expired',
        )
      if (code.redirectUri !== params.get('redirect_uri'))
        return flavor.tokenError(
          400,
          'invalid_grant',
          'redirect_uri does not match the authorization request',
        )
      if (code.challenge) {
        const verifier = params.get('code_verifier')
        if (!verifier)
          return flavor.tokenError(400, 'invalid_request', 'code_verifier is required (PKCE)')
        const computed = code.method === 'S256' ? s256(verifier) : verifier
        if (computed !== code.challenge)
          return flavor.tokenError(
            400,
            'invalid_grant',
            'PKCE verification failed: code_verifier does not match the code_challenge',
          )
      }
      const grant: Grant = {
        id: chars(randomRng(), 'abcdef0123456789', 24),
        account: code.account,
        clientId: client.id,
        scope: code.scope,
        revoked: false,
      }
      st.grants.set(grant.id, grant)
      return issue(st, grant, now, true)
    }
    if (grantType === 'refresh_token') {
      const used = params.get('refresh_token') ?? ''
      const grant = st.grants.get(st.refreshTokens.get(used) ?? '')
      if (!grant || grant.revoked || grant.clientId !== client.id)
        return flavor.tokenError(400, 'invalid_grant', 'Token has been expired or revoked.')
      if (flavor.refresh === 'rotate') st.refreshTokens.delete(used)
      return issue(st, grant, now, flavor.refresh !== 'keep')
    }
    return flavor.tokenError(
      400,
      'unsupported_grant_type',
      `grant_type ${grantType ?? '(none)'} is not supported`,
    )
  }

  /** RFC 7009: revoking either token of a grant ends the grant; unknown tokens are not an error. */
  function revoke(req: SimRequest): SimResponse {
    const st = stateOf(req)
    const value = paramsOf(req).get('token') ?? ''
    const grantId = st.refreshTokens.get(value) ?? st.accessTokens.get(value)?.grant
    const grant = grantId ? st.grants.get(grantId) : undefined
    if (grant) grant.revoked = true
    return json(200, {})
  }

  return { authorize, token, revoke }
}
