import type { Capability } from '@cloudlink/shared'
import type { GrantCredentials } from '../core/oauth/grant.js'
import { expectJson } from '../core/http.js'
import { unexpected } from '../core/outcome.js'
import { access, probeEach } from '../core/probe.js'
import type { ProviderContext } from '../core/types.js'

const NAME = 'Microsoft Azure'
const PERMISSIONS_API = '2022-04-01'
const WRITE = [
  'Microsoft.Compute/virtualMachines/write',
  'Microsoft.Compute/virtualMachines/delete',
]
const READ = 'Microsoft.Compute/virtualMachines/read'
const MAX_SUBSCRIPTIONS = 5

interface Permission {
  actions?: string[]
  notActions?: string[]
}

/** RBAC action patterns: case-insensitive, `*` for any characters. */
const matches = (pattern: string, action: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(
    action,
  )

/** Allowed when one permission entry grants it and does not exclude it (how RBAC adds roles up). */
const allowed = (permissions: Permission[], action: string) =>
  permissions.some(
    (p) =>
      (p.actions ?? []).some((a) => matches(a, action)) &&
      !(p.notActions ?? []).some((a) => matches(a, action)),
  )

async function get<T>(ctx: ProviderContext, token: string, path: string): Promise<T> {
  const res = await ctx.http.request('arm', path, { headers: { authorization: `Bearer ${token}` } })
  if (res.status !== 200) throw unexpected(NAME, res)
  return expectJson<T>(NAME, res)
}

/**
 * The caller's own effective actions at subscription scope: GET
 * /subscriptions/{id}/providers/Microsoft.Authorization/permissions (learn.microsoft.com
 * rest/api/authorization/permissions; the subscription form is the one Microsoft's RBAC REST
 * walkthrough uses, which settles the UNCONFIRMED row). A read; the best subscription counts.
 */
export async function probeAzure(
  ctx: ProviderContext,
  grant: GrantCredentials,
  capabilities: readonly Capability[],
) {
  const token = grant.accessToken
  return probeEach(capabilities, {
    compute: async () => {
      const { value = [] } = await get<{ value?: { subscriptionId: string }[] }>(
        ctx,
        token,
        '/subscriptions?api-version=2022-12-01',
      )
      const ids = value.map((s) => s.subscriptionId).slice(0, MAX_SUBSCRIPTIONS)
      if (ids.length === 0) return access('none', 'GET /subscriptions → none', [...WRITE, READ])
      const held = await Promise.all(
        ids.map(async (id) => {
          const { value: perms = [] } = await get<{ value?: Permission[] }>(
            ctx,
            token,
            `/subscriptions/${encodeURIComponent(id)}/providers/Microsoft.Authorization/permissions?api-version=${PERMISSIONS_API}`,
          )
          const has = (action: string) => allowed(perms, action)
          return { id, missing: WRITE.filter((a) => !has(a)), reads: has(READ) }
        }),
      )
      const best = held.find((h) => h.missing.length === 0) ?? held.find((h) => h.reads) ?? held[0]!
      const evidence = `Microsoft.Authorization/permissions on subscription ${best.id}`
      if (best.missing.length === 0) return access('write', evidence)
      return best.reads
        ? access('read', evidence, best.missing)
        : access('none', evidence, [...best.missing, READ])
    },
  })
}
