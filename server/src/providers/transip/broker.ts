import type { BrokerScheme } from '../core/broker.js'
import { claimsOf, issueToken, type Creds } from './token.js'

/** The lifetime the broker asks for; the token is reused until shortly before it ends. */
const LIFETIME = { text: '20 minutes', ms: 20 * 60 * 1000 }
/** Dropped from the cache this long before its `exp`, so no call leaves with a dying token. */
const MARGIN_MS = 60 * 1000

const READS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * A TransIP access token minted with the stored private key and cached with the credential until
 * it expires: a read-only one for reads, a read-write one only when a call writes.
 */
export const broker: BrokerScheme<Creds> = {
  defaultOrigin: 'api',
  origins: ['api'],
  async authorize(ctx, c, req) {
    const readOnly = READS.has(req.method)
    const key = readOnly ? 'transip:ro' : 'transip:rw'
    let token = ctx.cache.get<string>(key)
    if (!token) {
      const minted = Date.now()
      token = await issueToken(ctx, c, { readOnly, expiration: LIFETIME.text })
      const exp = Number(claimsOf(token).exp)
      const expiresAt = Number.isFinite(exp) ? exp * 1000 : minted + LIFETIME.ms
      const ttl = expiresAt - Date.now() - MARGIN_MS
      if (ttl > 0) ctx.cache.set(key, token, ttl)
    }
    req.headers.authorization = `Bearer ${token}`
  },
}
