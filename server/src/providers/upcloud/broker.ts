import { basicAuthorization, type BrokerScheme } from '../core/broker.js'

/** An API token, or (deprecated by UpCloud, still accepted) a username and password. */
export type Creds = { token: string } | { username: string; password: string }

/** `Bearer` for an API token, `Basic` for a username and password: checks and the broker alike. */
export const authorization = (c: Creds) =>
  'token' in c ? `Bearer ${c.token}` : basicAuthorization(c.username, c.password)

export const broker: BrokerScheme<Creds> = {
  defaultOrigin: 'api',
  origins: ['api'],
  authorize(_ctx, c, req) {
    req.headers.authorization = authorization(c)
  },
}
