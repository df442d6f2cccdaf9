import { chars, HEX, seededRng } from '../../generate.js'
import { json } from '../../http.js'
import type { Account, ProviderSpec, RouteContext } from '../../spec.js'
import { levelOf, patchRoute, withRoutes } from './patch.js'

/**
 * Providers that tell what a credential may do in an introspection answer: the ACLs, scopes, rules
 * or policies their own API returns for a scoped credential. Only answers change; the provider
 * files keep their routes (another helper edits them at the same time).
 */

const scoped = (account: Account) => Object.keys(account.access ?? {}).length > 0

/** Vultr user ACLs (GET /v2/account `acls`, names as in vultr/govultr). */
export function vultrAccess(spec: ProviderSpec): ProviderSpec {
  return patchRoute(spec, 'GET', '/v2/account', (res, { account }) => {
    if (!scoped(account) || res.status !== 200) return res
    const acls = ['billing']
    const compute = levelOf(account, 'compute')
    if (compute === 'write') acls.push('subscriptions', 'provisioning')
    if (compute === 'read') acls.push('subscriptions_view')
    if (levelOf(account, 'dns') === 'write') acls.push('dns')
    if (levelOf(account, 'storage') === 'write') acls.push('objstore')
    const body = res.body as { account: Record<string, unknown> }
    return { ...res, body: { account: { ...body.account, acls } } }
  })
}

const LINODE_SCOPES = { compute: 'linodes', dns: 'domains', storage: 'object_storage' } as const

/** Linode: scopes in `X-OAuth-Scopes` on every answer; GET /v4/profile/grants (204 unrestricted). */
export function linodeAccess(spec: ProviderSpec): ProviderSpec {
  const headers = spec.headers
  return {
    ...withRoutes(spec, [
      // "Always accessible": no scope. Simulated users are unrestricted; tokens carry the limits.
      { method: 'GET', path: '/v4/profile/grants', handle: () => ({ status: 204 }) },
    ]),
    headers(account, rate) {
      const base = headers?.(account, rate) ?? {}
      if (!scoped(account)) return base
      const scopes = ['account:read_only']
      for (const [capability, name] of Object.entries(LINODE_SCOPES)) {
        const level = levelOf(account, capability as keyof typeof LINODE_SCOPES)
        if (level !== 'none')
          scopes.push(`${name}:${level === 'write' ? 'read_write' : 'read_only'}`)
      }
      return { ...base, 'X-OAuth-Scopes': scopes.join(' ') }
    },
  }
}

/** OVHcloud: the consumer key's rules, as currentCredential lists them and every call obeys. */
export function ovhAccess(spec: ProviderSpec): ProviderSpec {
  const rulesOf = (account: Account) => {
    const compute = levelOf(account, 'compute')
    if (compute === 'write') return null
    return compute === 'read' ? [{ method: 'GET', path: '/*' }] : [{ method: 'GET', path: '/me' }]
  }
  const patched = patchRoute(spec, 'GET', '/1.0/auth/currentCredential', (res, { account }) => {
    const rules = rulesOf(account)
    if (!rules || res.status !== 200) return res
    return { ...res, body: { ...(res.body as object), rules } }
  })
  return {
    ...patched,
    authenticate(req, find, now) {
      const result = spec.authenticate(req, find, now)
      const rules = result.account && rulesOf(result.account)
      const path = req.url.pathname
      if (!rules || result.reject || path.startsWith('/1.0/auth/')) return result
      const granted = rules.some(
        (r) => r.method === req.method && (r.path === '/*' || `/1.0${r.path}` === path),
      )
      if (granted) return result
      const body = {
        errorCode: 'NOT_GRANTED_CALL',
        httpCode: '403 Forbidden',
        message: 'This call has not been granted',
      }
      return { ...result, reject: json(403, body) }
    },
  }
}

const CF_GROUPS = {
  dns: { write: 'DNS Write', read: 'DNS Read' },
  storage: { write: 'Workers R2 Storage Write', read: 'Workers R2 Storage Read' },
} as const

/**
 * Cloudflare: a token reading itself (GET /user/tokens/{id}, /accounts/{a}/tokens/{id}). Simulated
 * tokens hold API Tokens Read, so their policies are readable. Appended after the provider's
 * routes: `/tokens/verify` stays the verify route.
 */
export function cloudflareAccess(spec: ProviderSpec): ProviderSpec {
  const self = ({ account, params }: RouteContext) => {
    const id = chars(seededRng(account.credentials.token ?? ''), HEX, 32)
    if (params.tokenId !== id)
      // The real code for another token's id is UNCONFIRMED; shaped like Cloudflare's envelopes.
      return json(404, {
        success: false,
        errors: [{ code: 1003, message: 'Token not found' }],
        messages: [],
        result: null,
      })
    const groups = [{ id: chars(seededRng('zone-read'), HEX, 32), name: 'Zone Read' }]
    for (const [capability, names] of Object.entries(CF_GROUPS)) {
      const level = levelOf(account, capability as keyof typeof CF_GROUPS)
      if (level !== 'none')
        groups.push({ id: chars(seededRng(names[level]), HEX, 32), name: names[level] })
    }
    groups.push({ id: chars(seededRng('api-tokens-read'), HEX, 32), name: 'API Tokens Read' })
    const policy = {
      id: chars(seededRng(id), HEX, 32),
      effect: 'allow',
      permission_groups: groups,
      resources: { [`com.cloudflare.api.account.*`]: '*' },
    }
    return json(200, {
      success: true,
      errors: [],
      messages: [],
      result: { id, name: 'Cloudlink', status: 'active', policies: [policy] },
    })
  }
  return {
    ...spec,
    routes: [
      ...spec.routes,
      { method: 'GET', path: '/client/v4/user/tokens/:tokenId', handle: self },
      { method: 'GET', path: '/client/v4/accounts/:accountId/tokens/:tokenId', handle: self },
    ],
  }
}

/** Scaleway IAM: the key's user, its policies and their rules' permission sets. */
export function scalewayAccess(spec: ProviderSpec): ProviderSpec {
  const policyId = (account: Account) => `pol-${account.identity.id}`
  return withRoutes(spec, [
    {
      method: 'GET',
      path: '/iam/v1alpha1/users/:userId',
      scope: 'IAMReadOnly',
      handle: ({ account, params }) =>
        params.userId === account.identity.id
          ? json(200, {
              id: account.identity.id,
              email: account.identity.email,
              type: scoped(account) ? 'member' : 'owner',
            })
          : json(404, {
              message: 'resource is not found',
              resource: 'user',
              resource_id: params.userId,
              type: 'not_found',
            }),
    },
    {
      method: 'GET',
      path: '/iam/v1alpha1/policies',
      scope: 'IAMReadOnly',
      handle: ({ account }) =>
        json(200, {
          policies: [{ id: policyId(account), name: 'cloudlink', user_id: account.identity.id }],
          total_count: 1,
        }),
    },
    {
      method: 'GET',
      path: '/iam/v1alpha1/rules',
      scope: 'IAMReadOnly',
      handle: ({ account, req }) => {
        if (req.url.searchParams.get('policy_id') !== policyId(account))
          return json(200, { rules: [], total_count: 0 })
        const level = levelOf(account, 'compute')
        const sets =
          level === 'write'
            ? ['InstancesFullAccess']
            : level === 'read'
              ? ['InstancesReadOnly']
              : []
        return json(200, {
          rules: [
            {
              id: `rule-${account.identity.id}`,
              permission_set_names: sets,
              organization_id: account.identity.id,
            },
          ],
          total_count: 1,
        })
      },
    },
  ])
}

/** Hetzner Robot: a web-service user that may not order is one whose ordering is disabled. */
export function robotAccess(spec: ProviderSpec): ProviderSpec {
  return patchRoute(spec, 'GET', '/order/server/product', (res, { account }) =>
    levelOf(account, 'compute') === 'write'
      ? res
      : // The same answer the provider file gives for `orderingDisabled` (its body is UNCONFIRMED).
        json(403, {
          error: { status: 403, code: 'FORBIDDEN', message: 'webservice ordering disabled' },
        }),
  )
}
