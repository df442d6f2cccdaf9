import type { Capability } from '@cloudlink/shared'
import { expectJson } from '../core/http.js'
import { unexpected } from '../core/outcome.js'
import { access, probeEach } from '../core/probe.js'
import type { ProviderContext } from '../core/types.js'

const NAME = 'Linode'

/** The OAuth scope (techdocs.akamai.com "OAuth reference") and the grant a restricted user needs. */
const NEEDS: Record<Capability, { scope: string; grant?: string }> = {
  compute: { scope: 'linodes', grant: 'add_linodes' },
  dns: { scope: 'domains', grant: 'add_domains' },
  // No global "add buckets" grant is documented for restricted users: the scope alone decides.
  storage: { scope: 'object_storage' },
}

interface Grants {
  global?: Record<string, unknown>
}

async function read(ctx: ProviderContext, token: string, path: string) {
  const res = await ctx.http.request('api', path, { headers: { authorization: `Bearer ${token}` } })
  if (res.status !== 200 && res.status !== 204) throw unexpected(NAME, res)
  return res
}

/**
 * Two reads, both allowed for any token: the token's scopes come back in `X-OAuth-Scopes` on every
 * answer (`*` = all; resolves the UNCONFIRMED row: a personal token's scopes are readable this way),
 * and GET /v4/profile/grants says what a restricted user may add (204: unrestricted;
 * techdocs.akamai.com get-profile-grants). Write = the `:read_write` scope and, for a restricted
 * user, the `global.add_*` grant.
 */
export async function probeLinode(
  ctx: ProviderContext,
  token: string,
  capabilities: readonly Capability[],
) {
  const [profile, grantsRes] = await Promise.all([
    read(ctx, token, '/v4/profile'),
    read(ctx, token, '/v4/profile/grants'),
  ])
  const scopes = (profile.headers.get('x-oauth-scopes') ?? '*').trim()
  const global =
    grantsRes.status === 204 ? null : (expectJson<Grants>(NAME, grantsRes).global ?? {})
  const evidence = `X-OAuth-Scopes: ${scopes}; GET /v4/profile/grants → ${global ? 'restricted user' : '204 unrestricted'}`
  const scope = (name: string): 'write' | 'read' | 'none' => {
    if (scopes === '*' || new RegExp(`\\b${name}:read_write\\b`).test(scopes)) return 'write'
    return new RegExp(`\\b${name}:read_only\\b`).test(scopes) ? 'read' : 'none'
  }
  const probeOne = (capability: Capability) => async () => {
    const { scope: name, grant } = NEEDS[capability]
    const level = scope(name)
    const missing: string[] = []
    if (level !== 'write') missing.push(`${name}:read_write`)
    if (grant && global && global[grant] !== true) missing.push(`global grant ${grant}`)
    if (missing.length === 0) return access('write', evidence)
    return access(level === 'none' ? 'none' : 'read', evidence, missing)
  }
  return probeEach(capabilities, {
    compute: probeOne('compute'),
    dns: probeOne('dns'),
    storage: probeOne('storage'),
  })
}
