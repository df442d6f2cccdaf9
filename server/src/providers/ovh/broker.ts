import type { BrokerScheme } from '../core/broker.js'
import {
  serverOffset,
  signedHeaders,
  SUBSIDIARIES,
  type OvhCreds,
  type SubsidiaryCode,
} from './client.js'

/** The API's clock offset is read again after this long (it only drifts slowly). */
const OFFSET_TTL_MS = 10 * 60 * 1000

/**
 * The OVH signature over the forwarded method, full URL and exact body, on the API's clock (its
 * offset cached with the credential's other broker state). The body is signed, so it is held whole.
 */
export function ovhBroker(sub: SubsidiaryCode): BrokerScheme<OvhCreds> {
  const { name } = SUBSIDIARIES[sub]
  return {
    defaultOrigin: 'api',
    origins: ['api'],
    signsBody: true,
    async authorize(ctx, c, req) {
      let offset = ctx.cache.get<number>('ovh:offset')
      if (offset === undefined) {
        offset = await serverOffset(ctx, name)
        ctx.cache.set('ovh:offset', offset, OFFSET_TTL_MS)
      }
      const body = req.body?.toString('utf8') ?? ''
      for (const [header, value] of Object.entries(
        signedHeaders(c, req.method, req.url.href, body, offset),
      ))
        req.headers[header.toLowerCase()] = value
    },
  }
}
