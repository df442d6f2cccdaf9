import type { EntityManager } from '@mikro-orm/postgresql'
import type { UpdateWorkspaceBody, WorkspaceWithRole } from '@cloudlink/shared'
import { WorkspaceEntity } from '../../db/entities/index.js'
import { conflict, notFound } from '../../errors.js'
import { hasMfa } from '../mfa/mfa-service.js'

/**
 * Renames a workspace or sets its MFA rule. An owner turns `requireMfa` on only with a second
 * factor of their own: otherwise the rule would lock them out of the workspace they just changed.
 */
export async function updateWorkspace(
  em: EntityManager,
  input: { workspaceId: string; ownerId: string; body: UpdateWorkspaceBody },
): Promise<WorkspaceWithRole> {
  const workspace = await em.findOne(WorkspaceEntity, { id: input.workspaceId })
  if (!workspace) throw notFound('Workspace')
  const { name, requireMfa } = input.body
  if (requireMfa === true && !workspace.requireMfa && !(await hasMfa(em, input.ownerId)))
    throw conflict('Turn on your own second factor (Security) before requiring one of everyone')
  if (name !== undefined) workspace.name = name.trim()
  if (requireMfa !== undefined) workspace.requireMfa = requireMfa
  await em.flush()
  return {
    id: workspace.id,
    name: workspace.name,
    role: 'owner',
    requireMfa: workspace.requireMfa,
  }
}
