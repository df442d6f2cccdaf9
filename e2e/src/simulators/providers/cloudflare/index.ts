import { bearerAuth } from '../../auth.js'
import { ALNUM, chars, HEX, pastDate, pick, seededRng, serverName } from '../../generate.js'
import { BadInput } from '../../http.js'
import type { Account, ProviderSpec, RateInfo } from '../../spec.js'
import type { Credentials } from '../../types.js'
import {
  accountIdOf,
  accountName,
  envelope,
  invalidToken,
  isAccountToken,
  list,
  ok,
  toZone,
} from './render.js'
import { writeRoutes } from './writes.js'

/**
 * Cloudflare API v4 (https://developers.cloudflare.com/api/): Bearer user or account API tokens.
 *
 * A credential registered with an `accountId` is an account-owned token of that account; without
 * one it is a user token. Cloudflare has no servers: the simulator's servers are the account's
 * zones (GET /zones), the resource a DNS connection lists; its writes are DNS records and zones
 * (./writes.ts).
 */

const rateHeaders = (rate: RateInfo) => ({
  Ratelimit: `"default";r=${rate.remaining};t=${rate.retryAfter}`,
  'Ratelimit-Policy': `"default";q=${rate.limit};w=300`,
})

function verified(account: Account) {
  const tokenId = chars(seededRng(account.credentials.token ?? ''), HEX, 32)
  return ok(
    { id: tokenId, status: 'active' },
    { messages: [{ code: 10000, message: 'This API Token is valid and active', type: null }] },
  )
}

export const cloudflare: ProviderSpec = {
  id: 'cloudflare',
  fields: ['token', 'accountId'],
  // New-format user token: `cfut_`, 40 characters, an 8-hex checksum (not computed here).
  generateCredential: (rng) => ({ token: `cfut_${chars(rng, ALNUM, 40)}${chars(rng, HEX, 8)}` }),
  pickCredential(c: Credentials): Credentials {
    if (!c.token) throw new BadInput('credentials.token is required')
    return c.accountId ? { token: c.token, accountId: c.accountId } : { token: c.token }
  },
  credentialKey: (c) => c.token ?? '',
  authenticate: bearerAuth,
  routes: [
    {
      // The trap: an account-owned token is "Invalid API Token" here, though it is valid.
      method: 'GET',
      path: '/client/v4/user/tokens/verify',
      handle: ({ account }) => (isAccountToken(account) ? invalidToken() : verified(account)),
    },
    {
      method: 'GET',
      path: '/client/v4/accounts/:accountId/tokens/verify',
      handle: ({ account, params }) => {
        if (!isAccountToken(account)) return invalidToken()
        // Another account's id: the token is valid but not for this resource (UNCONFIRMED code).
        if (params.accountId !== accountIdOf(account))
          return envelope(403, 9109, 'Unauthorized to access requested resource')
        return verified(account)
      },
    },
    {
      method: 'GET',
      path: '/client/v4/zones',
      scope: 'Zone:Read',
      handle: (ctx) => {
        const wanted = ctx.req.url.searchParams.get('account.id')
        const mine = !wanted || wanted === accountIdOf(ctx.account)
        return list(ctx, mine ? ctx.account.servers : [], (s) => toZone(s, ctx.account))
      },
    },
    {
      // Any token lists the accounts it can reach (the permission this needs is UNCONFIRMED).
      method: 'GET',
      path: '/client/v4/accounts',
      handle: (ctx) =>
        list(ctx, [
          {
            id: accountIdOf(ctx.account),
            name: accountName(ctx.account),
            type: 'standard',
            settings: { enforce_twofactor: false, use_account_custom_ns_by_default: false },
            created_on: pastDate(seededRng(accountIdOf(ctx.account))),
          },
        ]),
    },
    ...writeRoutes,
  ],
  errors: {
    unauthorized: invalidToken,
    forbidden: () => envelope(403, 9109, 'Unauthorized to access requested resource'),
    notFound: (req) =>
      envelope(
        404,
        7003,
        `Could not route to ${req.url.pathname}, perhaps your object identifier is invalid?`,
      ),
    // The body's code is UNCONFIRMED; the headers are documented (changelog 2025-09-03).
    rateLimited: (rate) =>
      envelope(429, 971, 'Please wait and consider throttling your request speed', {
        ...rateHeaders(rate),
        'retry-after': String(rate.retryAfter),
      }),
    // UNCONFIRMED: Cloudflare's 5xx bodies are not documented.
    serverError: (status) => envelope(status, 10001, 'Internal Server Error'),
  },
  // 1200 requests per 5 minutes per token.
  rateLimit: { limit: 1200, windowSeconds: 300, per: 'credential' },
  headers: (_account, rate) => rateHeaders(rate),
  newServer: (rng, i) => ({
    providerServerId: chars(rng, HEX, 32),
    name: `${serverName(rng, i)}.example.com`,
    status: pick(rng, ['active', 'active', 'pending']),
    region: 'global',
    ipv4: null,
  }),
  newIdentityId: (rng) => chars(rng, HEX, 32),
  demo: {
    good: { token: `cfut_${'600d'.repeat(10)}600d600d` },
    revoked: { token: `cfut_${'dead'.repeat(10)}deaddead` },
    slow: { token: `cfut_${'5105'.repeat(10)}51055105` },
  },
}
