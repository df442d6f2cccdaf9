import type { Credentials } from '@cloudlink/shared'
import { defineProvider } from '../define.js'
import { UnreachableError } from '../http.js'
import { RejectedError } from '../outcome.js'
import type { ProviderModule } from '../types.js'
import { grantCanonical, grantHint, validateGrant, type GrantCredentials } from './grant.js'
import type { OAuthSpec } from './spec.js'

/** A stored grant, as opposed to the provider's typed-in credential (checked again by validateGrant). */
const isGrantOf = <C extends Credentials>(c: C | GrantCredentials): c is GrantCredentials =>
  'refreshToken' in c && 'subject' in c

export interface WithOAuthOptions<C extends Credentials> {
  /** What the provider's OAuth answers carry (`identify` defaults to verifying the access token). */
  spec: Omit<OAuthSpec, 'identify'> & Partial<Pick<OAuthSpec, 'identify'>>
  /** An access token in the typed-in credential's shape: a grant's token is used exactly like one. */
  fromAccessToken(accessToken: string): C
  /** Origins the OAuth server adds to the API's (e.g. DigitalOcean's `cloud`). */
  origins?: Record<string, string>
}

/**
 * A token provider that also connects in one click: a stored credential is either the typed-in
 * one or an OAuth grant, and each method dispatches on which it is. The grant is checked through
 * the module's own verify/listServers with its access token, plus one rule of its own: a grant was
 * stored for one provider account (`subject`), and a token answering for another is not that account.
 */
export function withOAuth<C extends Credentials>(
  module: ProviderModule<C>,
  { spec, fromAccessToken, origins }: WithOAuthOptions<C>,
): ProviderModule<C | GrantCredentials> {
  const name = module.descriptor.name
  const oauth: OAuthSpec = {
    ...spec,
    identify:
      spec.identify ??
      (async (ctx, tokens) => {
        const result = await module.verify(ctx, fromAccessToken(tokens.accessToken))
        if (result.outcome === 'rejected') throw new RejectedError(result)
        if (result.outcome === 'unreachable') throw new UnreachableError(result)
        const subject = result.identity?.id
        if (!subject)
          throw new UnreachableError({
            outcome: 'unreachable',
            reason: 'server_error',
            message: `${name} did not say which account the authorization belongs to`,
          })
        return { subject }
      }),
  }
  // Defined like any provider, so a malformed stored grant becomes a verdict, never an exception.
  return defineProvider<C | GrantCredentials>({
    ...module,
    origins: { ...module.origins, ...origins },
    oauth,
    validate: (c) => (isGrantOf(c) ? validateGrant(c) : module.validate(c)),
    async verify(ctx, c) {
      if (!isGrantOf(c)) return module.verify(ctx, c)
      const grant = validateGrant(c)
      const result = await module.verify(ctx, fromAccessToken(grant.accessToken))
      if (
        result.outcome === 'verified' &&
        result.identity?.id &&
        result.identity.id !== grant.subject
      )
        return {
          outcome: 'rejected',
          reason: `The authorization now answers for a different ${name} account; reconnect`,
          providerStatus: 200,
          providerCode: 'subject_mismatch',
        }
      return result
    },
    listServers: (ctx, c) =>
      module.listServers(ctx, isGrantOf(c) ? fromAccessToken(validateGrant(c).accessToken) : c),
    // A grant (its access token made fresh by the broker first) is sent like a typed-in token.
    broker: {
      ...module.broker,
      authorize: (ctx, c, req) =>
        module.broker.authorize(
          ctx,
          isGrantOf(c) ? fromAccessToken(validateGrant(c).accessToken) : c,
          req,
        ),
    },
    probe: (ctx, c, capabilities) =>
      module.probe(
        ctx,
        isGrantOf(c) ? fromAccessToken(validateGrant(c).accessToken) : c,
        capabilities,
      ),
    hint: (c) => (isGrantOf(c) ? grantHint(validateGrant(c)) : module.hint(c)),
    canonical: (c) => (isGrantOf(c) ? grantCanonical(validateGrant(c)) : module.canonical(c)),
  })
}
