import fp from 'fastify-plugin'
import type { FastifyRequest, onRequestHookHandler } from 'fastify'
import {
  ACCESS_LEVELS,
  TOKEN_SCOPES,
  type Access,
  type Role,
  type TokenScope,
} from '@cloudlink/shared'
import { forbidden, mfaEnrolmentRequired, notFound, tokenScope } from '../../errors.js'
import { presentsApiToken } from './credentials.js'
import { checkToken, type TokenPolicy } from './token-access.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route. Required on every /api/v1 route: the server refuses to start without it. */
    access?: Access
    /**
     * The scope an API token needs for the route, or `false` when no token may call it. Required
     * on every 'member' and 'owner' route (the server refuses to start without it); 'public' and
     * 'user' routes never take a token, so there it may only be `false`.
     */
    token?: TokenScope | false
    /**
     * The handler itself limits its answer to a token's `accountIds` (the account list). Without
     * it, a route that names no `:accountId` refuses a token limited to some accounts.
     */
    tokenAccounts?: 'filtered'
  }
  interface FastifyInstance {
    /** Every /api/v1 route with its declared access: the source of the generated RBAC and fuzz tests. */
    routeAccess: RouteAccess[]
  }
  interface FastifyRequest {
    /** The caller's role in the route's `:workspaceId`, set by RBAC on member/owner routes. */
    role: Role | null
  }
}

export interface RouteAccess {
  method: string
  url: string
  access: Access
  /** The scope an API token needs, or false when none may call the route. */
  token: TokenScope | false
  /** The route filters its answer by a token's accountIds (see `config.tokenAccounts`). */
  tokenAccounts: boolean
  schema: { body?: unknown; params?: unknown; querystring?: unknown }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const ID_NAME = /(^id|Id)$/

/**
 * Rewrites UUID-valued ids (`workspaceId`, `accountId`, …) in lower case, as the database
 * returns them. PostgreSQL compares UUIDs in any case, but every cache and key built from an id
 * compares strings: `/workspaces/ABC…` must not be a second, unrefreshed copy of `/workspaces/abc…`.
 */
function lowerCaseIds(values: unknown) {
  if (!values || typeof values !== 'object') return
  const record = values as Record<string, unknown>
  for (const [name, value] of Object.entries(record))
    if (ID_NAME.test(name) && typeof value === 'string' && UUID.test(value))
      record[name] = value.toLowerCase()
}

export async function workspaceRole(
  request: FastifyRequest,
  workspaceId: string,
): Promise<Role | null> {
  if (!UUID.test(workspaceId)) {
    await request.server.authenticate(request)
    return null
  }
  if (request.currentUser) {
    const rows = await request.em.execute<{ role: Role; require_mfa: boolean }[]>(
      `select m.role, w.require_mfa from memberships m join workspaces w on w.id = m.workspace_id
       where m.workspace_id = ? and m.user_id = ?`,
      [workspaceId, request.currentUser.id],
    )
    request.workspaceRequiresMfa = rows[0]?.require_mfa === true
    return rows[0]?.role ?? null
  }
  // The usual path: the session check and the membership lookup share one round trip.
  await request.server.authenticate(request, workspaceId)
  return request.role
}

function guard(access: Access, policy: TokenPolicy): onRequestHookHandler {
  return async (request) => {
    // A token never opens a public route (which may act on an optional session, like an
    // invitation accept): refused before any work, without even looking the token up.
    if (access === 'public') {
      if (presentsApiToken(request))
        throw tokenScope('This route is not for API tokens; call it without one')
      return
    }
    if (access === 'user') {
      const caller = await request.server.authenticate(request)
      if (caller.type === 'token')
        throw tokenScope('This route is for signed-in people only; API tokens cannot call it')
      return
    }
    const workspaceId = (request.params as { workspaceId?: string }).workspaceId ?? ''
    if (presentsApiToken(request)) return checkToken(request, workspaceId, policy)
    const role = await workspaceRole(request, workspaceId)
    // A non-member learns nothing, not even that the workspace exists.
    if (!role) throw notFound('Workspace')
    if (access === 'owner' && role !== 'owner') throw forbidden('Only workspace owners can do this')
    // The workspace's rule holds for people only (a token is no member); enrolling happens on the
    // person's own routes, which belong to no workspace.
    if (request.workspaceRequiresMfa && request.session && !request.session.mfa)
      throw mfaEnrolmentRequired()
    request.role = role
  }
}

/**
 * Access control declared on each route (`config.access`, and `config.token` for API tokens) and
 * enforced here, denying by default. It runs in onRequest, before body validation, so an anonymous
 * caller gets 401 whatever it sent, and a token its refusal before any work.
 */
export default fp(
  async (app) => {
    app.decorateRequest('role', null)
    // Before any route hook (access checks, rate-limit keys) or handler reads an id.
    app.addHook('onRequest', (request, _reply, done) => {
      lowerCaseIds(request.params)
      lowerCaseIds(request.query)
      done()
    })
    const table: RouteAccess[] = []
    app.decorate('routeAccess', table)
    app.addHook('onRoute', (route) => {
      if (!route.url.startsWith('/api/v1')) return
      const access = route.config?.access
      if (!access || !ACCESS_LEVELS.includes(access))
        throw new Error(
          `${String(route.method)} ${route.url}: config.access must be one of ${ACCESS_LEVELS.join(', ')}`,
        )
      if (access !== 'public' && access !== 'user' && !route.url.includes(':workspaceId'))
        throw new Error(
          `${String(route.method)} ${route.url}: '${access}' access needs a :workspaceId param`,
        )
      const token = route.config?.token
      const workspaceRoute = access === 'member' || access === 'owner'
      if (workspaceRoute ? token !== false && !TOKEN_SCOPES.includes(token as TokenScope) : token)
        throw new Error(
          workspaceRoute
            ? `${String(route.method)} ${route.url}: config.token must be false or one of ${TOKEN_SCOPES.join(', ')}`
            : `${String(route.method)} ${route.url}: '${access}' routes never take an API token (config.token may only be false)`,
        )
      const policy: TokenPolicy = {
        scope: token ?? false,
        filtersAccounts: route.config?.tokenAccounts === 'filtered',
        namesAccount: route.url.includes(':accountId'),
      }
      for (const method of [route.method].flat())
        if (method !== 'HEAD')
          table.push({
            method,
            url: route.url,
            access,
            token: policy.scope,
            tokenAccounts: policy.filtersAccounts,
            schema: (route.schema ?? {}) as RouteAccess['schema'],
          })
      const hook = guard(access, policy)
      const existing = route.onRequest ? [route.onRequest].flat() : []
      route.onRequest = [hook, ...existing]
    })
  },
  { name: 'rbac', dependencies: ['auth'] },
)
