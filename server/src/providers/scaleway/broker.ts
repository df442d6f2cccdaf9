import type { BrokerScheme } from '../core/broker.js'

export type Creds = { accessKey: string; secretKey: string }

/** Scaleway authenticates with the secret key alone, in `X-Auth-Token`; the access key only names it. */
export const authHeaders = (c: Creds) => ({ 'x-auth-token': c.secretKey })

export const broker: BrokerScheme<Creds> = {
  defaultOrigin: 'api',
  origins: ['api'],
  authorize(_ctx, c, req) {
    Object.assign(req.headers, authHeaders(c))
  },
}
