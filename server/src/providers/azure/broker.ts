import { bearerScheme } from '../core/broker.js'
import type { GrantCredentials } from '../core/oauth/grant.js'

/**
 * Azure Resource Manager with the grant's access token, renewed by the broker before it expires
 * (the sign-in origin `login` is the OAuth server, never a broker target).
 */
export const broker = bearerScheme<GrantCredentials>((grant) => grant.accessToken, {
  defaultOrigin: 'arm',
  origins: ['arm'],
})
