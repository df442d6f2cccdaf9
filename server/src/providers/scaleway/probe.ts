import type { Capability } from '@cloudlink/shared'
import { expectJson } from '../core/http.js'
import { unexpected } from '../core/outcome.js'
import { access, probeEach } from '../core/probe.js'
import type { ProviderContext } from '../core/types.js'

const NAME = 'Scaleway'
/** Permission set names (scaleway.com IAM "permission sets"); AllProducts* cover Instances too. */
const WRITE_SETS = ['InstancesFullAccess', 'AllProductsFullAccess']
const READ_SETS = ['InstancesReadOnly', 'AllProductsReadOnly', ...WRITE_SETS]

/** Refused (no IAMReadOnly): no answer. */
class Refused extends Error {}

async function get<T>(ctx: ProviderContext, secretKey: string, path: string): Promise<T> {
  const res = await ctx.http.request('api', path, { headers: { 'x-auth-token': secretKey } })
  if (res.status === 403) throw new Refused()
  if (res.status !== 200) throw unexpected(NAME, res)
  return expectJson<T>(NAME, res)
}

/**
 * IAM reads only: the API key → its application or user → that principal's policies → their
 * rules' permission set names (GET /iam/v1alpha1/api-keys/{key}, /policies?application_id= or
 * user_id=, /rules?policy_id=). Decided here: an Organization owner holds everything without a
 * policy (GET /users/{id} → `type: owner`); reading any of this needs IAMReadOnly, and a key
 * without it is `unknown`, with that permission named as what would let Cloudlink tell.
 */
export async function probeScaleway(
  ctx: ProviderContext,
  c: { accessKey: string; secretKey: string },
  capabilities: readonly Capability[],
) {
  return probeEach(capabilities, {
    compute: async () => {
      try {
        const key = await get<{ user_id?: string | null; application_id?: string | null }>(
          ctx,
          c.secretKey,
          `/iam/v1alpha1/api-keys/${encodeURIComponent(c.accessKey)}`,
        )
        if (key.user_id) {
          const user = await get<{ type?: string }>(
            ctx,
            c.secretKey,
            `/iam/v1alpha1/users/${encodeURIComponent(key.user_id)}`,
          )
          if (user.type === 'owner')
            return access('write', 'IAM: the API key belongs to the Organization owner')
        }
        const principal = key.application_id
          ? `application_id=${encodeURIComponent(key.application_id)}`
          : `user_id=${encodeURIComponent(key.user_id ?? '')}`
        const { policies = [] } = await get<{ policies?: { id: string }[] }>(
          ctx,
          c.secretKey,
          `/iam/v1alpha1/policies?${principal}&page_size=100`,
        )
        const sets = new Set<string>()
        for (const policy of policies) {
          const { rules = [] } = await get<{
            rules?: { permission_set_names?: string[] | null }[]
          }>(
            ctx,
            c.secretKey,
            `/iam/v1alpha1/rules?policy_id=${encodeURIComponent(policy.id)}&page_size=100`,
          )
          for (const rule of rules) for (const n of rule.permission_set_names ?? []) sets.add(n)
        }
        const evidence = `IAM policies → permission sets [${[...sets].join(', ')}]`
        if (WRITE_SETS.some((s) => sets.has(s))) return access('write', evidence)
        const level = READ_SETS.some((s) => sets.has(s)) ? 'read' : 'none'
        return access(level, evidence, ['InstancesFullAccess'])
      } catch (err: unknown) {
        if (!(err instanceof Refused)) throw err
        return access(
          'unknown',
          'IAM refused (403): add IAMReadOnly to let Cloudlink read what the key may do',
        )
      }
    },
  })
}
