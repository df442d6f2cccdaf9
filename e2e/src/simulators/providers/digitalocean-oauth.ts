import { chars, HEX } from '../generate.js'
import { json } from '../http.js'
import type { ProviderSpec } from '../spec.js'
import { createOAuthServer, withOAuth, type OAuthFlavor } from './oauth-server.js'

/**
 * DigitalOcean's OAuth server (https://docs.digitalocean.com/reference/api/), at `cloud.digitalocean.com/v1/oauth`:
 * `doo_v1_` access tokens for 30 days, `dor_v1_` refresh tokens that rotate when used.
 */
export const digitaloceanOAuthFlavor: OAuthFlavor = {
  seed: 'digitalocean',
  authorizePath: '/v1/oauth/authorize',
  tokenPath: '/v1/oauth/token',
  revokePath: '/v1/oauth/revoke',
  refresh: 'rotate',
  accessTokenTtl: 2592000,
  tokenType: 'bearer',
  defaultScope: 'read',
  code: (rng) => chars(rng, HEX, 64),
  accessToken: (rng) => `doo_v1_${chars(rng, HEX, 64)}`,
  refreshToken: (rng) => `dor_v1_${chars(rng, HEX, 64)}`,
  coversApi: (scope) => /\bread\b/.test(scope),
  // `read` alone may not create or delete; `read write` may.
  readOnly: (scope) => !/\bwrite\b/.test(scope),
  tokenExtras: (grant) => ({
    info: {
      name: grant.account.identity.name,
      email: grant.account.identity.email,
      uuid: grant.account.identity.id,
    },
  }),
  tokenError: (status, error, description) =>
    json(status, { error, error_description: description }),
}

/** The DigitalOcean simulator with its OAuth server mounted (distinct paths, one origin). */
export const withDigitalOceanOAuth = (spec: ProviderSpec): ProviderSpec =>
  withOAuth(spec, createOAuthServer(digitaloceanOAuthFlavor, spec))
