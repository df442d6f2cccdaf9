import type { Credentials } from '@cloudlink/shared'
import { grantCanonical, grantHint, isGrant, validateGrant } from '../core/oauth/grant.js'
import type { OAuthSpec } from '../core/oauth/spec.js'
import { defineProvider } from '../core/define.js'
import { UnreachableError } from '../core/http.js'
import { RejectedError } from '../core/outcome.js'
import type { ProviderContext, ProviderModule } from '../core/types.js'
import { digitalocean } from './index.js'

/**
 * DigitalOcean's OAuth server (https://docs.digitalocean.com/reference/api/). Access tokens (`doo_v1_`) are used exactly
 * like a personal access token; refresh tokens (`dor_v1_`) rotate: every refresh spends the old one.
 */
export const digitaloceanOAuth: OAuthSpec = {
  envId: 'DIGITALOCEAN',
  authorize: { origin: 'cloud', path: '/v1/oauth/authorize' },
  token: { origin: 'cloud', path: '/v1/oauth/token' },
  scopes: ['read', 'write'],
  rotatesRefreshToken: true,
  register: {
    url: 'https://cloud.digitalocean.com/account/api/applications',
    steps: 'API → OAuth Applications → Register OAuth Application',
  },
  async identify(ctx, tokens) {
    const result = await digitalocean.verify(ctx, { token: tokens.accessToken })
    if (result.outcome === 'rejected') throw new RejectedError(result)
    if (result.outcome === 'unreachable') throw new UnreachableError(result)
    const subject = result.identity?.id
    if (!subject)
      throw new UnreachableError({
        outcome: 'unreachable',
        reason: 'server_error',
        message: 'DigitalOcean did not say which account the authorization belongs to',
      })
    return { subject }
  },
}

/** A grant is used through its access token, exactly like a personal access token. */
const asToken = (c: Credentials) => ({ token: validateGrant(c).accessToken })

/**
 * The DigitalOcean module with one-click OAuth beside the personal access token: a stored
 * credential is either `{ token }` or a grant, and each method dispatches on which it is.
 */
export const digitaloceanWithOAuth: ProviderModule = {
  ...(digitalocean as unknown as ProviderModule),
  origins: { ...digitalocean.origins, cloud: 'https://cloud.digitalocean.com' },
  oauth: digitaloceanOAuth,
  validate: (c) => (isGrant(c) ? validateGrant(c) : digitalocean.validate(c)),
  async verify(ctx: ProviderContext, c) {
    if (!isGrant(c)) return digitalocean.verify(ctx, c as { token: string })
    const grant = validateGrant(c)
    const result = await digitalocean.verify(ctx, asToken(grant))
    // The grant was stored for one account; a token answering for another is not that account.
    if (
      result.outcome === 'verified' &&
      result.identity?.id &&
      result.identity.id !== grant.subject
    )
      return {
        outcome: 'rejected',
        reason: 'The authorization now answers for a different DigitalOcean account; reconnect',
        providerStatus: 200,
        providerCode: 'subject_mismatch',
      }
    return result
  },
  listServers: (ctx, c) =>
    digitalocean.listServers(ctx, isGrant(c) ? asToken(c) : (c as { token: string })),
  hint: (c) =>
    isGrant(c) ? grantHint(validateGrant(c)) : digitalocean.hint(c as { token: string }),
  canonical: (c) =>
    isGrant(c) ? grantCanonical(validateGrant(c)) : digitalocean.canonical(c as { token: string }),
}

export default defineProvider(digitaloceanWithOAuth)
