import { bearerAuth } from '../auth.js'
import { ALNUM, chars, HEX, pastDate, pick, seededRng, serverName } from '../generate.js'
import { BadInput, json } from '../http.js'
import { paginate } from '../paginate.js'
import type { Account, ProviderSpec, RateInfo, RouteContext } from '../spec.js'
import type { Credentials, SimServer } from '../types.js'

/**
 * Cloudflare API v4 (https://developers.cloudflare.com/api/): Bearer user or account API tokens.
 *
 * A credential registered with an `accountId` is an account-owned token of that account; without
 * one it is a user token. Cloudflare has no servers: the simulator's servers are the account's
 * zones (GET /zones), the resource a DNS connection lists.
 */

const envelope = (
  status: number,
  code: number,
  message: string,
  headers?: Record<string, string>,
) =>
  json(status, { success: false, errors: [{ code, message }], messages: [], result: null }, headers)

/** What Cloudflare answers for any token it does not accept here, whatever the HTTP status. */
const invalidToken = () => envelope(401, 1000, 'Invalid API Token')

const ok = (result: unknown, extra: object = {}) =>
  json(200, { result, success: true, errors: [], messages: [], ...extra })

const rateHeaders = (rate: RateInfo) => ({
  Ratelimit: `"default";r=${rate.remaining};t=${rate.retryAfter}`,
  'Ratelimit-Policy': `"default";q=${rate.limit};w=300`,
})

const isAccountToken = (account: Account) => Boolean(account.credentials.accountId)
const accountIdOf = (account: Account) => account.credentials.accountId ?? account.identity.id
const accountName = (account: Account) => `${account.identity.email}'s Account`

function verified(account: Account) {
  const tokenId = chars(seededRng(account.credentials.token ?? ''), HEX, 32)
  return ok(
    { id: tokenId, status: 'active' },
    { messages: [{ code: 10000, message: 'This API Token is valid and active', type: null }] },
  )
}

function toZone(s: SimServer, account: Account) {
  const rng = seededRng(s.providerServerId)
  const created = pastDate(rng)
  return {
    id: s.providerServerId,
    name: s.name.includes('.') ? s.name : `${s.name}.example.com`,
    status: s.status,
    paused: false,
    type: 'full',
    development_mode: 0,
    name_servers: ['ada.ns.cloudflare.com', 'bob.ns.cloudflare.com'],
    original_name_servers: null,
    original_registrar: null,
    original_dnshost: null,
    modified_on: created,
    created_on: created,
    activated_on: s.status === 'active' ? created : null,
    meta: { step: 2, custom_certificate_quota: 0, page_rule_quota: 3, phishing_detected: false },
    owner: { id: null, type: 'user', email: null },
    account: { id: accountIdOf(account), name: accountName(account) },
    permissions: ['#zone:read', '#dns_records:edit'],
    plan: {
      id: '0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee',
      name: 'Free Website',
      price: 0,
      currency: 'USD',
    },
  }
}

function list<T>(ctx: RouteContext, items: T[], render: (item: T) => unknown = (i) => i) {
  const p = paginate(
    items,
    ctx.req.url.searchParams,
    { page: 'page', perPage: 'per_page' },
    { default: 20, max: 50 },
  )
  return ok(p.items.map(render), {
    result_info: {
      page: p.page,
      per_page: p.perPage,
      count: p.items.length,
      total_count: p.total,
      total_pages: p.lastPage,
    },
  })
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
