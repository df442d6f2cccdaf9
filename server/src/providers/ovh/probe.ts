import type { Capability } from '@cloudlink/shared'
import { unexpected } from '../core/outcome.js'
import { access, probeEach } from '../core/probe.js'
import type { ProviderContext } from '../core/types.js'
import { createOvhClient, SUBSIDIARIES, type OvhCreds, type SubsidiaryCode } from './client.js'

interface Rule {
  method: string
  path: string
}

/** OVHcloud access rules: `*` stands for any characters, `/` included (createToken's `/*`). */
const allows = (rules: Rule[], method: string, path: string) =>
  rules.some((r) => {
    if (r.method !== method) return false
    const pattern = r.path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')
    return new RegExp(`^${pattern}$`).test(path)
  })

/**
 * The consumer key's own rules, from GET /1.0/auth/currentCredential (eu.api.ovh.com/1.0/auth.json;
 * the CA host serves the same API, which the credential check already relies on). Nothing is
 * called to try: the rules are matched here. Creating a server means a Public Cloud instance
 * (POST/DELETE under /cloud/project/{id}/instance, the product an order can make on its own);
 * reading means any of the three lists Cloudlink reads.
 */
export async function probeOvh(
  ctx: ProviderContext,
  sub: SubsidiaryCode,
  c: OvhCreds,
  capabilities: readonly Capability[],
) {
  const api = createOvhClient(ctx, sub, c)
  const cred = await api.get<{ rules?: Rule[] }>('/1.0/auth/currentCredential')
  if (!cred.ok) throw unexpected(SUBSIDIARIES[sub].name, cred.res)
  const rules = cred.body.rules ?? []
  const evidence = `GET /auth/currentCredential → ${rules.length} rule(s)`
  return probeEach(capabilities, {
    compute: async () => {
      const instance = '/cloud/project/{serviceName}/instance'
      const missing = [
        ['POST', instance],
        ['DELETE', `${instance}/{instanceId}`],
      ]
        .filter(([method, path]) => !allows(rules, method!, path!))
        .map(([method]) => `${method} /cloud/project/*`)
      if (missing.length === 0) return access('write', evidence)
      const reads = ['/cloud/project', '/dedicated/server', '/vps'].some((p) =>
        allows(rules, 'GET', p),
      )
      return access(reads ? 'read' : 'none', evidence, missing)
    },
  })
}
