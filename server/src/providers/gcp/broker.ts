import { bearerScheme } from '../core/broker.js'
import type { GrantCredentials } from '../core/oauth/grant.js'

/**
 * Compute Engine and Resource Manager with the grant's access token, renewed by the broker before
 * it expires (`accounts` and `oauth2` belong to the OAuth server, never broker targets).
 */
export const broker = bearerScheme<GrantCredentials>((grant) => grant.accessToken, {
  defaultOrigin: 'compute',
  origins: ['compute', 'crm'],
})
