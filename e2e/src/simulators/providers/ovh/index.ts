import { randomUUID } from 'node:crypto'
import {
  ALNUM,
  chars,
  digits,
  ipv4,
  pick,
  randomRng,
  seededRng,
  serverName,
} from '../../generate.js'
import { json } from '../../http.js'
import type { ProviderSpec, RouteContext } from '../../spec.js'
import { createOvhAuth, ovhError } from './auth.js'
import { cloudRoutes } from './cloud.js'
import { productRoutes, type Sub } from './products.js'

export { ovhSignature, OVH_TIME_WINDOW_SECONDS } from './auth.js'

/**
 * OVHcloud API (https://api.ovh.com/console/), one spec per subsidiary with its own keys: an application
 * key from the other subsidiary is INVALID_KEY here, as on the real hosts. Requests carry
 * `X-Ovh-*` headers with a `$1$` SHA-1 signature over secret, consumer key, method, full URL, body
 * and timestamp, checked with the secret the simulator holds and against its own clock (./auth.ts).
 */

/** `/me` fields from 3rd-party clients (from third-party clients; unconfirmed against the live schema). */
function me(sub: Sub, { account }: RouteContext) {
  const { id, name, email } = account.identity
  const [firstname = '', ...rest] = name.split(' ')
  return json(200, {
    nichandle: id,
    email,
    firstname,
    name: rest.join(' '),
    organisation: '',
    legalform: 'individual',
    country: sub === 'eu' ? 'FR' : 'CA',
    ovhSubsidiary: sub === 'eu' ? 'FR' : 'CA',
    language: sub === 'eu' ? 'fr_FR' : 'en_CA',
    currency: sub === 'eu' ? { code: 'EUR', symbol: 'EURO' } : { code: 'CAD', symbol: 'CAD' },
    customerCode: `${digits(seededRng(id), 4)}-${digits(seededRng(email), 4)}-00`,
    state: 'complete',
  })
}

/** e.g. DemoGoodEuAppKey / DemoGoodEuApplicationSecret00000 / DemoGoodEuConsumerKey00000000000 */
const demoKeys = (kind: string, sub: Sub) => {
  const tag = `Demo${kind}${sub === 'eu' ? 'Eu' : 'Ca'}`
  return {
    applicationKey: `${tag}AppKey`,
    applicationSecret: `${tag}ApplicationSecret`.padEnd(32, '0'),
    consumerKey: `${tag}ConsumerKey`.padEnd(32, '0'),
  }
}

export function ovhSpec(sub: Sub): ProviderSpec {
  const auth = createOvhAuth()
  return {
    id: sub === 'eu' ? 'ovh-eu' : 'ovh-ca',
    fields: ['applicationKey', 'applicationSecret', 'consumerKey'],
    generateCredential: (rng) => ({
      applicationKey: chars(rng, ALNUM, 16),
      applicationSecret: chars(rng, ALNUM, 32),
      consumerKey: chars(rng, ALNUM, 32),
    }),
    // The headers name the application; its secret verifies the signature (one stored key each).
    credentialKey: (c) => c.applicationKey ?? '',
    authenticate: auth.authenticate,
    routes: [
      {
        method: 'GET',
        path: '/1.0/auth/time',
        handle: ({ now }) => json(200, Math.floor(now / 1000)),
      },
      { method: 'GET', path: '/auth/', handle: auth.validationPage },
      { method: 'POST', path: '/1.0/auth/credential', handle: auth.requestCredential },
      { method: 'GET', path: '/1.0/auth/currentCredential', handle: auth.currentCredential },
      { method: 'GET', path: '/1.0/me', handle: (ctx) => me(sub, ctx) },
      ...productRoutes(sub),
      ...cloudRoutes,
    ],
    errors: {
      unauthorized: (req) =>
        req.headers['x-ovh-application']
          ? ovhError(403, 'INVALID_KEY', 'This application key is invalid')
          : ovhError(401, 'NOT_AUTHENTICATED', 'You must login first'),
      forbidden: () => ovhError(403, 'NOT_GRANTED_CALL', 'This call has not been granted'),
      notFound: (req) =>
        json(404, { message: `Got an invalid (or empty) URL: ${req.url.pathname}` }),
      // UNCONFIRMED: OVH documents no rate-limit answer; shaped like its other errors.
      rateLimited: (rate) =>
        ovhError(429, 'TOO_MANY_REQUESTS', 'Too many requests', {
          'Retry-After': String(rate.retryAfter),
        }),
      serverError: (status) => ovhError(status, 'INTERNAL_SERVER_ERROR', 'Internal server error'),
    },
    rateLimit: { limit: 6000, windowSeconds: 60, per: 'credential' },
    headers: () => ({
      'X-Ovh-QueryID': `${sub.toUpperCase()}.ext-${digits(randomRng(), 1)}.${randomUUID().slice(0, 8)}`,
    }),
    newServer: (rng, i) => {
      const ip = ipv4(rng)
      const net = ip.split('.').slice(0, 3).join('-')
      return {
        providerServerId: `ns${digits(rng, 7)}.ip-${net}.${sub === 'eu' ? 'eu' : 'net'}`,
        name: serverName(rng, i),
        status: pick(rng, ['poweron', 'poweron', 'poweroff']),
        region: pick(rng, sub === 'eu' ? ['gra3', 'rbx8', 'sbg5'] : ['bhs2', 'bhs5']),
        ipv4: ip,
      }
    },
    newIdentityId: (rng) => `${chars(rng, 'abcdefghijklmnopqrstuvwxyz', 2)}${digits(rng, 5)}-ovh`,
    demo: {
      good: demoKeys('Good', sub),
      revoked: demoKeys('Dead', sub),
      slow: demoKeys('Slow', sub),
    },
  }
}

export const ovhEu = ovhSpec('eu')
export const ovhCa = ovhSpec('ca')
