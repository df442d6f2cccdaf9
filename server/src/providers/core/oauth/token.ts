import { unreachable, UnreachableError, type ProviderResponse, type Unreachable } from '../http.js'
import { rejected, type Rejected } from '../outcome.js'
import type { ProviderContext } from '../context.js'
import { oauthEnvNames } from './apps.js'
import { cleanDescription, parseTokenSet } from './grant.js'
import type { OAuthApp, OAuthSpec, TokenSet } from './spec.js'

export type RefreshOutcome =
  { kind: 'refreshed'; tokens: TokenSet } | { kind: 'failed'; result: Rejected | Unreachable }

/** A code exchange's end: tokens, the token endpoint's refusal (its `error`), or no answer. */
export type ExchangeOutcome =
  | { kind: 'exchanged'; tokens: TokenSet }
  | { kind: 'refused'; error: string; message: string }
  | { kind: 'unreachable'; message: string }

/** `{ error, error_description }` of a token endpoint answer (RFC 6749 §5.2). */
export function tokenError(body: unknown): { error: string; description: string } {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>
  return {
    error: typeof b.error === 'string' ? b.error : '',
    description: cleanDescription(b.error_description),
  }
}

/**
 * What a refused refresh means. Only `invalid_grant` says the user's grant is gone (revoked consent,
 * expired or already-spent refresh token): that is the account's verdict, and it becomes `expired`.
 * A refused client is this installation's OAuth app, which reconnecting cannot fix, so it must not
 * change any account's status.
 */
function refused(
  providerName: string,
  spec: OAuthSpec,
  res: ProviderResponse,
): Rejected | Unreachable {
  const { error, description } = tokenError(res.json)
  const said = description ? `: ${description}` : ''
  if (error === 'invalid_grant')
    return rejected(
      `${providerName} no longer accepts the authorization (invalid_grant${said}); it was revoked or has expired, reconnect to grant access again`,
      res,
      'invalid_grant',
    ).result
  if (error === 'invalid_client' || error === 'unauthorized_client') {
    const names = oauthEnvNames(spec)
    return unreachable(
      'server_error',
      `${providerName} refused this installation's OAuth app (${error}); an administrator must check ${names.clientId} and ${names.clientSecret}`,
    )
  }
  if (error === 'invalid_scope')
    return rejected(
      `${providerName} no longer grants the requested access (invalid_scope${said}); reconnect`,
      res,
      'invalid_scope',
    ).result
  return unreachable(
    'server_error',
    `${providerName} answered the token renewal unexpectedly (HTTP ${res.status}${error ? `, ${error}` : ''})`,
  )
}

/**
 * The browser's first stop: the provider's authorize endpoint with our client id, redirect URI,
 * scopes, `state` and the PKCE challenge (RFC 6749 §4.1.1, RFC 7636 §4.3), on the provider's
 * effective origin (PROVIDER_URL_<ID>, sandbox).
 */
export function authorizationUrl(
  ctx: ProviderContext,
  spec: OAuthSpec,
  app: OAuthApp,
  params: { state: string; codeChallenge: string },
): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: app.clientId,
    redirect_uri: app.redirectUri,
    scope: spec.scopes.join(' '),
    state: params.state,
    code_challenge: params.codeChallenge,
    code_challenge_method: 'S256',
    ...spec.authorizeParams,
  })
  return `${ctx.http.url(spec.authorize.origin, spec.authorize.path)}?${query.toString()}`
}

/**
 * One POST to the token endpoint, through the provider's HTTP client: PROVIDER_URL_<ID>, the
 * deadline and (in a sweep) the provider's rate gate apply, and the client id and secret go in the
 * form body, which every provider here accepts (RFC 6749 §2.3.1). Throws UnreachableError.
 */
function tokenRequest(
  ctx: ProviderContext,
  spec: OAuthSpec,
  app: OAuthApp,
  grant: Record<string, string>,
): Promise<ProviderResponse> {
  const body = new URLSearchParams({
    ...grant,
    client_id: app.clientId,
    client_secret: app.clientSecret,
    ...spec.tokenParams,
  })
  return ctx.http.request(spec.token.origin, spec.token.path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  })
}

/**
 * Trades an authorization code (with its PKCE verifier) for tokens, on the same client as the
 * renewals below. Nothing of the request (it carried the secret) reaches the outcome: only the
 * endpoint's `error` and its cleaned description.
 */
export async function exchangeCode(
  ctx: ProviderContext,
  providerName: string,
  spec: OAuthSpec,
  grant: { code: string; verifier: string },
): Promise<ExchangeOutcome> {
  const app = ctx.oauthApp?.() ?? null
  if (!app)
    return {
      kind: 'refused',
      error: 'invalid_client',
      message: `${providerName} is not configured`,
    }
  let res: ProviderResponse
  try {
    res = await tokenRequest(ctx, spec, app, {
      grant_type: 'authorization_code',
      code: grant.code,
      redirect_uri: app.redirectUri,
      code_verifier: grant.verifier,
    })
  } catch (err: unknown) {
    if (!(err instanceof UnreachableError)) throw err
    return {
      kind: 'unreachable',
      message:
        err.result.reason === 'timeout'
          ? `${providerName} did not answer in time; start again`
          : `Could not reach ${providerName} to complete the authorization`,
    }
  }
  if (res.status >= 200 && res.status < 300) {
    const tokens = parseTokenSet(res.json)
    if (tokens) return { kind: 'exchanged', tokens }
    return {
      kind: 'unreachable',
      message: `${providerName} sent a token answer that could not be read`,
    }
  }
  if (res.status < 400)
    return {
      kind: 'unreachable',
      message: `Could not reach ${providerName} to complete the authorization`,
    }
  const { error, description } = tokenError(res.json)
  return {
    kind: 'refused',
    error,
    message: `${providerName} refused to complete the authorization (${error || `HTTP ${res.status}`}${description ? `: ${description}` : ''}); start again`,
  }
}

/**
 * Trades a refresh token for fresh tokens through the provider's HTTP client, so it honours
 * PROVIDER_URL_<ID>, the deadline and (in a sweep) the provider's rate gate. Plain code, no
 * Fastify: the recheck worker threads renew tokens too.
 */
export async function refreshTokens(
  ctx: ProviderContext,
  providerName: string,
  spec: OAuthSpec,
  refreshToken: string,
): Promise<RefreshOutcome> {
  const app = ctx.oauthApp?.() ?? null
  if (!app) {
    const names = oauthEnvNames(spec)
    return {
      kind: 'failed',
      result: unreachable(
        'server_error',
        `${providerName}'s OAuth app is not configured in this installation (${names.clientId}, ${names.clientSecret}), so the access token cannot be renewed`,
      ),
    }
  }
  let res: ProviderResponse
  try {
    res = await tokenRequest(ctx, spec, app, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    })
  } catch (err: unknown) {
    if (err instanceof UnreachableError) return { kind: 'failed', result: err.result }
    throw err
  }
  if (res.status === 200) {
    const tokens = parseTokenSet(res.json)
    if (tokens) return { kind: 'refreshed', tokens }
    return {
      kind: 'failed',
      result: unreachable(
        'server_error',
        `${providerName} sent a token answer that could not be read`,
      ),
    }
  }
  return { kind: 'failed', result: refused(providerName, spec, res) }
}
