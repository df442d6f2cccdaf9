import { basicAuthorization, type BrokerScheme } from '../core/broker.js'

export type Creds = { username: string; password: string }

/** Robot's web service takes the web-service user as HTTP Basic on every call. */
export const authorization = (c: Creds) => basicAuthorization(c.username, c.password)

/**
 * Every broker call spends from the credential's hourly budget (the module's `limits.budget`),
 * shared with the checks; a refused login still counts towards Robot's 3-attempt IP block.
 */
export const broker: BrokerScheme<Creds> = {
  defaultOrigin: 'api',
  origins: ['api'],
  authorize(_ctx, c, req) {
    req.headers.authorization = authorization(c)
  },
}
