import type { EntityManager } from '@mikro-orm/postgresql'
import type {
  CloudAccount as CloudAccountDto,
  Identity,
  LastCheck,
  ProviderId,
} from '@cloudlink/shared'
import { staleAt } from './dto.js'

interface AccountRow {
  id: string
  workspace_id: string
  provider: string
  label: string
  description: string
  hint: string
  status: CloudAccountDto['status']
  status_reason: string | null
  identity: Identity | null
  capabilities: CloudAccountDto['capabilities']
  access: CloudAccountDto['access'] | null
  warnings: string[]
  is_default: boolean
  last_checked_at: Date | string | null
  last_healthy_at: Date | string | null
  last_check: LastCheck | null
  created_at: Date | string
  updated_at: Date | string
  created_by: string | null
  creator_name: string | null
  creator_email: string | null
  server_count: number
}

const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString()
const isoOrNull = (v: Date | string | null) => (v === null ? null : iso(v))

/**
 * The list the settings page polls is read in one query, straight into the API shape: no entity
 * hydration, and the sealed credential columns are never even selected.
 */
export async function readAccounts(
  em: EntityManager,
  workspaceId: string,
  filter: { id?: string } = {},
): Promise<CloudAccountDto[]> {
  const params: unknown[] = [workspaceId]
  if (filter.id !== undefined) params.push(filter.id)
  const rows = await em.execute<AccountRow[]>(
    `select a.id, a.workspace_id, a.provider, a.label, a.description, a.hint, a.status, a.status_reason,
            a.identity, a.capabilities, a.access, a.warnings, a.is_default, a.last_checked_at, a.last_healthy_at,
            a.last_check, a.created_at, a.updated_at, a.created_by,
            u.name as creator_name, u.email as creator_email,
            (select count(*)::int from servers s where s.account_id = a.id) as server_count
     from cloud_accounts a left join users u on u.id = a.created_by
     where a.workspace_id = ?${filter.id === undefined ? '' : ' and a.id = ?'}
     order by a.created_at, a.id`,
    params,
  )
  const now = Date.now()
  return rows.map((r) => {
    return {
      id: r.id,
      workspaceId: r.workspace_id,
      provider: r.provider as ProviderId,
      label: r.label,
      description: r.description,
      hint: r.hint,
      status: r.status,
      statusReason: r.status_reason,
      identity: r.identity,
      capabilities: r.capabilities,
      access: r.access ?? {},
      isDefault: r.is_default,
      serverCount: Number(r.server_count),
      lastCheckedAt: isoOrNull(r.last_checked_at),
      lastHealthyAt: isoOrNull(r.last_healthy_at),
      lastCheck: r.last_check,
      stale: r.status === 'connected' && now > staleAt(r.last_healthy_at, r.created_at),
      warnings: r.warnings,
      createdAt: iso(r.created_at),
      updatedAt: iso(r.updated_at),
      createdBy:
        r.created_by && r.creator_name !== null
          ? { id: r.created_by, name: r.creator_name, email: r.creator_email ?? '' }
          : null,
    }
  })
}
