import { unreachable, UnreachableError, type ProviderResponse, type Unreachable } from '../http.js'
import { rejected, type Rejected } from '../outcome.js'
import type { ProviderContext } from '../context.js'
import { oauthEnvNames } from './apps.js'
import { cleanDescription, parseTokenSet } from './grant.js'
import type { OAuthApp, OAuthSpec, TokenSet } from './spec.js'

export type RefreshOutcome =
  { kind: 'refreshed'; tokens: TokenSet } | { kind: 'failed'; result: Rejected | Unreachable }

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
  const app: OAuthApp | null = ctx.oauthApp?.() ?? null
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
  const body = new URLSearchParams({
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: app.clientId,
    client_secret: app.clientSecret,
    ...spec.tokenParams,
  })
  let res: ProviderResponse
  try {
    res = await ctx.http.request(spec.token.origin, spec.token.path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
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
