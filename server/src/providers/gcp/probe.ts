import type { Capability } from '@cloudlink/shared'
import type { GrantCredentials } from '../core/oauth/grant.js'
import { expectJson } from '../core/http.js'
import { unexpected } from '../core/outcome.js'
import { access, probeEach } from '../core/probe.js'
import type { ProviderContext } from '../core/types.js'

const NAME = 'Google Cloud'
const WRITE = ['compute.instances.create', 'compute.instances.delete']
const READ = 'compute.instances.list'
/** A few projects are enough to tell; the check's own request count stays small. */
const MAX_PROJECTS = 5

/**
 * Resource Manager's testIamPermissions (cloud.google.com resource-manager reference): answers
 * the subset of the asked permissions the caller holds on a project, needs no permission itself
 * and changes nothing ("designed for permission-aware UIs"); a POST, but a question, not a write.
 * The best project counts: `write` where one allows creating and deleting instances.
 */
export async function probeGcp(
  ctx: ProviderContext,
  grant: GrantCredentials,
  capabilities: readonly Capability[],
) {
  const headers = { authorization: `Bearer ${grant.accessToken}` }
  return probeEach(capabilities, {
    compute: async () => {
      const list = await ctx.http.request('crm', `/v1/projects?pageSize=${MAX_PROJECTS}`, {
        headers,
      })
      if (list.status !== 200) throw unexpected(NAME, list)
      const projects = (
        expectJson<{ projects?: { projectId: string }[] }>(NAME, list).projects ?? []
      )
        .map((p) => p.projectId)
        .slice(0, MAX_PROJECTS)
      if (projects.length === 0)
        return access('none', 'GET /v1/projects → no project', [...WRITE, READ])
      const held = await Promise.all(
        projects.map(async (project) => {
          const res = await ctx.http.request(
            'crm',
            `/v1/projects/${encodeURIComponent(project)}:testIamPermissions`,
            {
              method: 'POST',
              headers: { ...headers, 'content-type': 'application/json' },
              body: JSON.stringify({ permissions: [...WRITE, READ] }),
            },
          )
          if (res.status !== 200) throw unexpected(NAME, res)
          return {
            project,
            permissions: new Set(expectJson<{ permissions?: string[] }>(NAME, res).permissions),
          }
        }),
      )
      const best =
        held.find((h) => WRITE.every((p) => h.permissions.has(p))) ??
        held.find((h) => h.permissions.has(READ)) ??
        held[0]!
      const evidence = `testIamPermissions on ${best.project} → [${[...best.permissions].join(', ')}]`
      const missing = WRITE.filter((p) => !best.permissions.has(p))
      if (missing.length === 0) return access('write', evidence)
      if (best.permissions.has(READ)) return access('read', evidence, missing)
      return access('none', evidence, [...missing, READ])
    },
  })
}
