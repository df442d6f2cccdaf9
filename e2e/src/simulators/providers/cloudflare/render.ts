import { pastDate, seededRng } from '../../generate.js'
import { json } from '../../http.js'
import { paginate } from '../../paginate.js'
import type { Account, RouteContext } from '../../spec.js'
import type { SimServer } from '../../types.js'

/** Cloudflare's envelope, its lists and zones, as API v4 renders them. */

export const envelope = (
  status: number,
  code: number,
  message: string,
  headers?: Record<string, string>,
) =>
  json(status, { success: false, errors: [{ code, message }], messages: [], result: null }, headers)

/** What Cloudflare answers for any token it does not accept here, whatever the HTTP status. */
export const invalidToken = () => envelope(401, 1000, 'Invalid API Token')

export const ok = (result: unknown, extra: object = {}) =>
  json(200, { result, success: true, errors: [], messages: [], ...extra })

export const isAccountToken = (account: Account) => Boolean(account.credentials.accountId)
export const accountIdOf = (account: Account) =>
  account.credentials.accountId ?? account.identity.id
export const accountName = (account: Account) => `${account.identity.email}'s Account`

export function toZone(s: SimServer, account: Account) {
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

export function list<T>(ctx: RouteContext, items: T[], render: (item: T) => unknown = (i) => i) {
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
