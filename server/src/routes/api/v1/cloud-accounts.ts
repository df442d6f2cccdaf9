import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import {
  CheckListSchema,
  CloudAccountListQuerySchema,
  CloudAccountListSchema,
  CloudAccountParamsSchema,
  CloudAccountSchema,
  ConnectBodySchema,
  ReconnectBodySchema,
  ServerListSchema,
  UpdateAccountBodySchema,
  WorkspaceParamsSchema,
  type UpdateAccountBody,
} from '@cloudlink/shared'
import { rateLimited } from '../../../errors.js'
import { callerKey } from '../../../domain/api-tokens/caller.js'
import { createAccountsService } from '../../../domain/cloud-accounts/accounts-service.js'
import { serverDto } from '../../../domain/cloud-accounts/dto.js'
import { AccountListCache, nextStaleAt } from '../../../domain/cloud-accounts/list-cache.js'

/** What an edit changed, as a sentence for the audit trail ("Renamed to "Prod"; …"). */
function updateMessage(
  body: UpdateAccountBody,
  label: string,
  module: { descriptor: { name: string } },
): string {
  const parts: string[] = []
  if (body.isDefault) parts.push(`Made "${label}" the default ${module.descriptor.name} account`)
  if (body.label !== undefined) parts.push(`Renamed to "${label}"`)
  if (body.description !== undefined) parts.push('Changed the description')
  if (body.isDefault === false)
    parts.push(`"${label}" is no longer the default ${module.descriptor.name} account`)
  return parts.join('; ')
}

const cloudAccountsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const base = '/workspaces/:workspaceId/cloud-accounts'
  const listCache = new AccountListCache()
  const service = (request: FastifyRequest) =>
    createAccountsService({ em: request.em, vault: app.vault, providers: app.providers })

  const accountSchema = { params: CloudAccountParamsSchema, tags: ['cloud-accounts'] }
  /**
   * Whether the caller still waits for the answer. A browser that cancels a slow verification
   * closes the connection; the check then finishes, but what it found is not stored.
   */
  const stillWanted = (request: FastifyRequest) => () => !request.raw.socket?.destroyed

  app.get(
    base,
    {
      // A token limited to some accounts sees only those: filtered below, past the list cache.
      config: { access: 'member', token: 'accounts:read', tokenAccounts: 'filtered' },
      schema: {
        tags: ['cloud-accounts'],
        params: WorkspaceParamsSchema,
        querystring: CloudAccountListQuerySchema,
        response: { 200: CloudAccountListSchema },
      },
    },
    async (request, reply) => {
      const { workspaceId } = request.params
      const revision = request.workspaceRevision
      let cached = revision === null ? undefined : listCache.get(workspaceId, revision)
      if (!cached) {
        const items = await service(request).list(workspaceId)
        const body = Buffer.from(String(reply.serialize({ items })))
        cached = { revision: revision ?? -1, expiresAt: nextStaleAt(items), items, body }
        if (revision !== null) listCache.set(workspaceId, cached)
      }
      const { provider, status } = request.query
      const only = request.caller?.type === 'token' ? request.caller.token.accountIds : null
      if (provider === undefined && status === undefined && only === null)
        // Serialized by this route's schema once; a Buffer is written to the socket without re-encoding.
        return reply.type('application/json; charset=utf-8').send(cached.body as never)
      return {
        items: cached.items.filter(
          (a) =>
            (provider === undefined || a.provider === provider) &&
            (status === undefined || a.status === status) &&
            (only === null || only.includes(a.id)),
        ),
      }
    },
  )

  app.post(
    base,
    {
      config: {
        access: 'owner',
        token: 'accounts:manage',
        audit: 'account.connect',
        rateLimit: { max: 60, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['cloud-accounts'],
        params: WorkspaceParamsSchema,
        body: ConnectBodySchema,
        response: { 201: CloudAccountSchema },
      },
    },
    async (request, reply) => {
      const { workspaceId } = request.params
      const { provider } = request.body
      request.audit.note({ provider })
      const caller = await app.authenticate(request)
      // An account connected by a token has no person as its creator; the audit names the token.
      const actor = caller.type === 'user' ? caller.user : null
      const account = await service(request).connect(workspaceId, actor, request.body, {
        stillWanted: stillWanted(request),
        // The success entry commits with the account: one transaction, so neither exists alone
        // (and the request waits for one commit instead of two).
        inTransaction: (tx, created) =>
          request.audit.recordIn(tx, {
            accountId: created.id,
            message: `Connected "${created.label}"`,
          }),
      })
      return reply.code(201).send(account)
    },
  )

  app.get(
    `${base}/:accountId`,
    {
      config: { access: 'member', token: 'accounts:read' },
      schema: { ...accountSchema, response: { 200: CloudAccountSchema } },
    },
    async (request) => service(request).get(request.params.workspaceId, request.params.accountId),
  )

  app.patch(
    `${base}/:accountId`,
    {
      config: { access: 'owner', token: 'accounts:manage', audit: 'account.update' },
      schema: {
        ...accountSchema,
        body: UpdateAccountBodySchema,
        response: { 200: CloudAccountSchema },
      },
    },
    async (request) => {
      const { workspaceId, accountId } = request.params
      const account = await service(request).update(workspaceId, accountId, request.body)
      request.audit.note({
        provider: account.provider,
        // Making an account the default is its own action in the trail, in words people use.
        ...(request.body.isDefault === undefined ? {} : { action: 'account.set_default' as const }),
        message: updateMessage(request.body, account.label, app.providers.get(account.provider)),
      })
      return account
    },
  )

  // Per account and caller, so one busy owner cannot hammer a provider through us. Counted only
  // once the account is found in the caller's workspace: nobody elsewhere can spend its budget.
  const recheckLimit = app.createRateLimit({
    max: 6,
    timeWindow: '1 minute',
    keyGenerator: (request) =>
      `recheck:${(request.params as { accountId: string }).accountId}:${callerKey(request.caller)}`,
  })

  app.post(
    `${base}/:accountId/recheck`,
    {
      config: { access: 'owner', token: 'accounts:manage', audit: 'account.recheck' },
      schema: { ...accountSchema, response: { 200: CloudAccountSchema } },
    },
    async (request) => {
      const { workspaceId, accountId } = request.params
      await service(request).find(workspaceId, accountId)
      const limit = await recheckLimit(request)
      if (!limit.isAllowed && limit.isExceeded)
        throw rateLimited('Too many checks of this account; try again shortly', limit.ttlInSeconds)
      const { account, result } = await service(request).recheck(workspaceId, accountId)
      const outcome = result.outcome === 'verified' ? 'ok' : result.outcome
      request.audit.note({
        provider: account.provider,
        message: `Check ${outcome}: ${account.lastCheck?.message ?? ''}`,
      })
      return account
    },
  )

  app.put(
    `${base}/:accountId/credentials`,
    {
      config: {
        access: 'owner',
        token: 'accounts:manage',
        audit: 'account.reconnect',
        rateLimit: { max: 30, timeWindow: '1 minute' },
      },
      schema: {
        ...accountSchema,
        body: ReconnectBodySchema,
        response: { 200: CloudAccountSchema },
      },
    },
    async (request) => {
      const { workspaceId, accountId } = request.params
      const account = await service(request).reconnect(workspaceId, accountId, request.body, {
        stillWanted: stillWanted(request),
      })
      request.audit.note({
        provider: account.provider,
        message: 'Credential replaced after the provider accepted it',
      })
      return account
    },
  )

  app.delete(
    `${base}/:accountId`,
    {
      config: { access: 'owner', token: 'accounts:manage', audit: 'account.remove' },
      schema: { ...accountSchema, response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      const { workspaceId, accountId } = request.params
      const removed = await service(request).remove(workspaceId, accountId)
      request.audit.note({
        provider: removed.provider,
        message: `Removed "${removed.label}"; its servers were kept, unlinked`,
      })
      return reply.code(204).send(null)
    },
  )

  app.get(
    `${base}/:accountId/servers`,
    {
      config: { access: 'member', token: 'accounts:read' },
      schema: { ...accountSchema, response: { 200: ServerListSchema } },
    },
    async (request) => {
      const { workspaceId, accountId } = request.params
      const svc = service(request)
      const account = await svc.find(workspaceId, accountId)
      const servers = await svc.servers(workspaceId, accountId)
      const module = app.providers.get(account.provider)
      const note = module.descriptor.capabilities.includes('compute')
        ? undefined
        : `${module.descriptor.name} has no servers to list: it is connected for ${module.descriptor.capabilities.join(' and ')}`
      return { items: servers.map(serverDto), ...(note ? { note } : {}) }
    },
  )

  app.get(
    `${base}/:accountId/checks`,
    {
      config: { access: 'member', token: 'accounts:read' },
      schema: { ...accountSchema, response: { 200: CheckListSchema } },
    },
    async (request) => {
      const checks = await service(request).checks(
        request.params.workspaceId,
        request.params.accountId,
      )
      return {
        items: checks.map((c) => ({
          id: c.id,
          at: c.at.toISOString(),
          trigger: c.trigger,
          outcome: c.outcome,
          message: c.message,
          latencyMs: c.latencyMs,
        })),
      }
    },
  )
}
export default cloudAccountsRoutes
