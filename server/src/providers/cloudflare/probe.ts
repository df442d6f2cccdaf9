import type { Capability } from '@cloudlink/shared'
import { access, probeEach } from '../core/probe.js'
import type { ProviderContext } from '../core/types.js'
import { accountIdOf, call, okResult, verifyToken, type Creds } from './api.js'

interface Policy {
  effect?: string
  permission_groups?: { id?: string; name?: string }[]
}

/** Permission group names (developers.cloudflare.com fundamentals/api/reference/permissions). */
const GROUPS: Record<'dns' | 'storage', { write: string; read: string; add: string }> = {
  dns: { write: 'DNS Write', read: 'DNS Read', add: 'Zone → DNS: Edit' },
  storage: {
    write: 'Workers R2 Storage Write',
    read: 'Workers R2 Storage Read',
    add: 'Account → Workers R2 Storage: Edit',
  },
}

/**
 * The token's own policies, when it may read them: GET /user/tokens/{id} (or the account form),
 * which needs "API Tokens Read" on the token itself (the UNCONFIRMED row: without it Cloudflare
 * answers 9109/10000, so the policies stay unread). null when refused.
 */
async function ownPolicies(ctx: ProviderContext, c: Creds): Promise<Policy[] | null> {
  const { id } = await verifyToken(ctx, c)
  if (!id) return null
  const accountId = accountIdOf(c)
  const path = accountId ? `/accounts/${accountId}/tokens/${id}` : `/user/tokens/${id}`
  const res = await call(ctx, c.token, path)
  if (res.status !== 200) return null
  return okResult<{ policies?: Policy[] }>(res).policies ?? []
}

/**
 * Reads only: the token's policies when readable, else what the verify already proved (Zone: Read,
 * without which the credential is refused). A token whose policies are hidden answers `read` for
 * DNS only as far as proven, so it is `unknown` whether it may edit; R2 likewise.
 */
export async function probeCloudflare(
  ctx: ProviderContext,
  c: Creds,
  capabilities: readonly Capability[],
) {
  const policies = await ownPolicies(ctx, c)
  const granted = new Set<string>()
  const denied = new Set<string>()
  for (const p of policies ?? [])
    for (const g of p.permission_groups ?? [])
      if (g.name) (p.effect === 'deny' ? denied : granted).add(g.name)
  const has = (name: string) => granted.has(name) && !denied.has(name)
  const evidence = policies
    ? `GET token → policies [${[...granted].join(', ')}]`
    : 'GET token refused (no API Tokens Read); zones are listable'
  const probeOne = (kind: 'dns' | 'storage') => async () => {
    const g = GROUPS[kind]
    if (!policies)
      return access(
        'unknown',
        `${evidence}; add API Tokens Read to the token to let Cloudlink read its permissions`,
      )
    if (has(g.write)) return access('write', evidence)
    return access(has(g.read) || kind === 'dns' ? 'read' : 'none', evidence, [g.add])
  }
  return probeEach(capabilities, { dns: probeOne('dns'), storage: probeOne('storage') })
}
