import { randomUUID } from 'node:crypto'
import type { EntityManager } from '@mikro-orm/postgresql'
import type {
  AuditAction,
  AuditActor,
  AuditEntry as AuditEntryDto,
  AuditOutcome,
  AuditPage,
  ProviderId,
} from '@cloudlink/shared'
import { AuditEntryEntity, type AuditEntry } from '../../db/entities/index.js'
import { newestFirstPage } from './newest-first.js'

export interface AuditRecord {
  workspaceId: string
  /** A person or an API token (by id and name: never its value), or null for the server itself. */
  actor: AuditActor | null
  ip: string | null
  action: AuditAction
  outcome: AuditOutcome
  provider?: ProviderId
  accountId?: string
  /** A human sentence; callers pass provider reasons and our own messages, never secrets. */
  message?: string
}

/**
 * What a request's handler (or the domain, through it) says about its entry; the audit plugin
 * completes it (the request's ip, the caller, the route's action and params) and writes it.
 */
export type AuditTarget = Partial<Omit<AuditRecord, 'ip'>>

/**
 * One plain insert, no unit of work. By default in its own fork, so a failed action (rolled back)
 * still leaves its trace; a successful action can pass its transaction instead, so the change and
 * its entry commit together (and the caller waits for one commit, not two).
 */
export async function recordAudit(
  em: EntityManager,
  record: AuditRecord,
  opts: { inTransaction?: boolean } = {},
): Promise<void> {
  await (opts.inTransaction ? em : em.fork()).insert(AuditEntryEntity, {
    id: randomUUID(),
    workspaceId: record.workspaceId,
    at: new Date(),
    actorType: record.actor?.type ?? null,
    actorId: record.actor?.id ?? null,
    actorName: record.actor?.name ?? null,
    actorEmail: record.actor?.type === 'user' ? record.actor.email : null,
    ip: record.ip,
    action: record.action,
    outcome: record.outcome,
    provider: record.provider ?? null,
    accountId: record.accountId ?? null,
    message: record.message === undefined ? null : record.message.slice(0, 1000),
  })
}

/** Where a person's own actions are filed: every workspace they belong to. */
export async function workspacesOfPerson(em: EntityManager, userId: string): Promise<string[]> {
  const rows = await em.execute<{ workspace_id: string }[]>(
    `select workspace_id from memberships where user_id = ?`,
    [userId],
  )
  return rows.map((r) => r.workspace_id)
}

function actorDto(e: AuditEntry): AuditActor | null {
  if (!e.actorId) return null
  if (e.actorType === 'token') return { type: 'token', id: e.actorId, name: e.actorName ?? '' }
  return { type: 'user', id: e.actorId, name: e.actorName ?? '', email: e.actorEmail ?? '' }
}

const toDto = (e: AuditEntry): AuditEntryDto => ({
  id: e.id,
  at: e.at.toISOString(),
  actor: actorDto(e),
  ip: e.ip ?? null,
  action: e.action,
  outcome: e.outcome,
  ...(e.provider ? { provider: e.provider } : {}),
  ...(e.accountId ? { accountId: e.accountId } : {}),
  ...(e.message ? { message: e.message } : {}),
})

export interface AuditFilter {
  action?: AuditAction
  outcome?: AuditOutcome
  accountId?: string
  actorId?: string
}

/**
 * Keyset pagination on (at, id): stable while new entries arrive, unlike offsets. Filters narrow
 * the same keyset, so a cursor from a filtered page continues that filtered list.
 */
export async function listAudit(
  em: EntityManager,
  workspaceId: string,
  opts: { limit: number; cursor?: string } & AuditFilter,
): Promise<AuditPage> {
  const where: Record<string, unknown> = { workspaceId }
  if (opts.action) where.action = opts.action
  if (opts.outcome) where.outcome = opts.outcome
  if (opts.accountId) where.accountId = opts.accountId
  if (opts.actorId) where.actorId = opts.actorId
  return newestFirstPage(em, AuditEntryEntity, where, opts, toDto)
}
