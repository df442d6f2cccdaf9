import fp from 'fastify-plugin'
import type { FastifyRequest, onRequestHookHandler } from 'fastify'
import { ACCESS_LEVELS, type Access, type Role } from '@cloudlink/shared'
import { MembershipEntity } from '../../db/entities/index.js'
import { forbidden, notFound } from '../../errors.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route. Required on every /api/v1 route: the server refuses to start without it. */
    access?: Access
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
    const membership = await request.em.findOne(MembershipEntity, {
      workspaceId,
      userId: request.currentUser.id,
    })
    return membership?.role ?? null
  }
  // The usual path: the session check and the membership lookup share one round trip.
  await request.server.authenticate(request, workspaceId)
  return request.role
}

function guard(access: Access): onRequestHookHandler | null {
  if (access === 'public') return null
  return async (request) => {
    if (access === 'user') {
      await request.server.authenticate(request)
      return
    }
    const workspaceId = (request.params as { workspaceId?: string }).workspaceId ?? ''
    const role = await workspaceRole(request, workspaceId)
    // A non-member learns nothing, not even that the workspace exists.
    if (!role) throw notFound('Workspace')
    if (access === 'owner' && role !== 'owner') throw forbidden('Only workspace owners can do this')
    request.role = role
  }
}

/**
 * Access control declared on each route (`config.access`) and enforced here, denying by default.
 * It runs in onRequest, before body validation, so an anonymous caller gets 401 whatever it sent.
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
      for (const method of [route.method].flat())
        if (method !== 'HEAD')
          table.push({
            method,
            url: route.url,
            access,
            schema: (route.schema ?? {}) as RouteAccess['schema'],
          })
      const hook = guard(access)
      if (!hook) return
      const existing = route.onRequest ? [route.onRequest].flat() : []
      route.onRequest = [hook, ...existing]
    })
  },
  { name: 'rbac', dependencies: ['auth'] },
)
