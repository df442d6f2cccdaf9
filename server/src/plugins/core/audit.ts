import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { EntityManager } from '@mikro-orm/postgresql'
import { AUDIT_ACTIONS, ErrorCode, type AuditAction, type AuditOutcome } from '@cloudlink/shared'
import {
  recordAudit,
  workspacesOfPerson,
  type AuditRecord,
  type AuditTarget,
} from '../../domain/audit/audit-service.js'
import { ApiError } from '../../errors.js'
import { auditActorOf } from '../../domain/api-tokens/caller.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * What the route leaves in its workspace's audit trail, or `false` for nothing. Required on
     * every state-changing /api/v1 route (POST, PUT, PATCH, DELETE): the server refuses to start
     * without it. A GET may declare one too (the OAuth callback connects accounts).
     */
    audit?: AuditAction | false
  }
  interface FastifyRequest {
    /** The entry this request leaves, on a route that declares an action (elsewhere a no-op). */
    readonly audit: AuditTrail
  }
}

export type { AuditTarget } from '../../domain/audit/audit-service.js'

export interface AuditTrail {
  /**
   * Adds to what the entry will say; later notes win field by field. Unsaid: the workspace and
   * account from the route's params, the caller (person or API token), the route's action, the outcome from the
   * answer. A thrown error's message wins over `message`; without a workspace, nothing is written.
   */
  note(target: AuditTarget): void
  /**
   * Writes the success entry now, in the caller's transaction: the change and its entry commit
   * together, or neither does (then the failure is recorded like any other).
   */
  recordIn(tx: EntityManager, target?: AuditTarget): Promise<void>
}

/** The trail of a route that declares no action: nothing to record. */
const NO_AUDIT: AuditTrail = { note() {}, recordIn: async () => {} }
const kTrail = Symbol('audit trail')
type WithTrail = FastifyRequest & { [kTrail]?: Trail }

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const outcomeOf = (err: unknown): AuditOutcome => {
  if (err instanceof ApiError && err.code === ErrorCode.ProviderRejected) return 'rejected'
  if (err instanceof ApiError && err.code === ErrorCode.ProviderUnreachable) return 'unreachable'
  return 'failed'
}

/** One request's entry: what it noted, the error it threw, and whether it was written already. */
class Trail implements AuditTrail {
  private target: AuditTarget = {}
  error: unknown = undefined
  /** The success entry went into the handler's transaction (which may still roll back). */
  private inTransaction = false
  private done = false

  constructor(
    private readonly request: FastifyRequest,
    private readonly action: AuditAction,
  ) {}

  note(target: AuditTarget) {
    this.target = { ...this.target, ...target }
  }

  async recordIn(tx: EntityManager, target: AuditTarget = {}) {
    this.note(target)
    const record = this.record('success')
    if (!record) return
    await recordAudit(tx, record, { inTransaction: true })
    this.inTransaction = true
  }

  /** The entry for `outcome` (or as noted); null when no workspace is known to file it under. */
  record(outcome: AuditOutcome | undefined, message?: string): AuditRecord | null {
    const entry = this.entry(outcome, message)
    return entry.workspaceId ? { ...entry, workspaceId: entry.workspaceId } : null
  }

  private entry(outcome: AuditOutcome | undefined, message?: string) {
    const params = (this.request.params ?? {}) as { workspaceId?: string; accountId?: string }
    const t = this.target
    const workspaceId = t.workspaceId ?? params.workspaceId
    const accountId = t.accountId ?? params.accountId
    const text = message ?? t.message
    return {
      workspaceId: workspaceId && UUID.test(workspaceId) ? workspaceId : null,
      actor: t.actor === undefined ? auditActorOf(this.request.caller) : t.actor,
      ip: this.request.ip,
      action: t.action ?? this.action,
      outcome: t.outcome ?? outcome ?? 'success',
      ...(t.provider ? { provider: t.provider } : {}),
      ...(accountId && UUID.test(accountId) ? { accountId } : {}),
      ...(text === undefined ? {} : { message: text }),
    }
  }

  /** Written before the answer leaves, so a client reading the trail next finds the entry. */
  async finish(reply: FastifyReply) {
    if (this.done) return
    this.done = true
    let outcome: AuditOutcome | undefined
    let message: string | undefined
    if (this.error !== undefined) {
      outcome = outcomeOf(this.error)
      message = this.error instanceof ApiError ? this.error.message : 'Unexpected error'
    } else if (this.inTransaction) return
    else outcome = reply.statusCode >= 400 ? 'failed' : undefined
    const entry = this.entry(outcome, message)
    // A fork of its own: a failed action's transaction rolled back, its trace must not.
    if (entry.workspaceId)
      return recordAudit(this.request.em, { ...entry, workspaceId: entry.workspaceId })
    // A person's own action (password, second factor, sessions) belongs to no one workspace: it is
    // filed in each of theirs, where their owners look. A workspace route never gets here.
    const params = (this.request.params ?? {}) as { workspaceId?: string }
    if (params.workspaceId !== undefined || entry.actor?.type !== 'user') return
    for (const workspaceId of await workspacesOfPerson(this.request.em, entry.actor.id))
      await recordAudit(this.request.em, { ...entry, workspaceId })
  }
}

/**
 * Audit as a route policy, like access: a route declares `config.audit` and this plugin records
 * outcome, actor and target of every attempt that passed access control and validation, failures
 * included. Handlers only add what they alone know (`request.audit.note(...)`).
 *
 * When the entry is written: in onSend, before the answer leaves, never in onResponse, so a client
 * that reads the trail right after its answer finds the entry (as the tests do). A failure's entry
 * goes through a fork of its own, outside the rolled-back transaction. A success that must commit
 * with its change (connect: the account and its entry, or neither) writes the entry inside that
 * transaction through `request.audit.recordIn(tx)`, which the domain calls back (ConnectOptions);
 * the plugin then writes nothing more, unless the transaction failed after all.
 */
export default fp(
  async (app) => {
    app.decorateRequest('audit', {
      getter(this: WithTrail) {
        return this[kTrail] ?? NO_AUDIT
      },
    })
    app.addHook('onRoute', (route) => {
      if (!route.url.startsWith('/api/v1')) return
      const action = route.config?.audit
      const methods = [route.method].flat()
      if (action === undefined && methods.some((m) => STATE_CHANGING.has(m)))
        throw new Error(
          `${methods.join(',')} ${route.url}: config.audit must name an audit action or be false (state-changing routes are audited)`,
        )
      if (action === undefined || action === false) return
      if (!AUDIT_ACTIONS.includes(action))
        throw new Error(`${methods.join(',')} ${route.url}: unknown audit action ${action}`)
      // Armed last, right before the handler: a refused caller or an invalid body is no attempt.
      route.preHandler = [
        ...(route.preHandler ? [route.preHandler].flat() : []),
        async (request: WithTrail) => {
          request[kTrail] = new Trail(request, action)
        },
      ]
      route.onError = [
        async (request: WithTrail, _reply: FastifyReply, error: unknown) => {
          const trail = request[kTrail]
          if (trail) trail.error = error
        },
        ...(route.onError ? [route.onError].flat() : []),
      ]
      route.onSend = [
        async (request: WithTrail, reply: FastifyReply) => {
          await request[kTrail]?.finish(reply)
        },
        ...(route.onSend ? [route.onSend].flat() : []),
      ]
    })
  },
  { name: 'audit', dependencies: ['db', 'auth'] },
)
