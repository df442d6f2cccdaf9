import type { Account, ProviderSpec, Route, RouteContext, SimResponse } from '../../spec.js'
import type { SimLevel } from '../../types.js'

/** A capability's level; a credential without a say is full access (every older test's). */
export const levelOf = (account: Account, capability: 'compute' | 'dns' | 'storage'): SimLevel =>
  account.access?.[capability] ?? 'write'

/** Routes the spec did not have, answered before its own. */
export const withRoutes = (spec: ProviderSpec, routes: Route[]): ProviderSpec => ({
  ...spec,
  routes: [...routes, ...spec.routes],
})

/**
 * One existing route's answer, rewritten: the provider file keeps its handler (and the other
 * helper's edits to it), this only adjusts what a scoped credential sees.
 */
export function patchRoute(
  spec: ProviderSpec,
  method: string,
  path: string,
  patch: (res: SimResponse, ctx: RouteContext) => SimResponse,
): ProviderSpec {
  return {
    ...spec,
    routes: spec.routes.map((route) =>
      route.method === method && route.path === path
        ? { ...route, handle: (ctx: RouteContext) => patch(route.handle(ctx), ctx) }
        : route,
    ),
  }
}

/** Wraps a route's handler: `intercept` answers first, or returns undefined to let it answer. */
export function interceptRoute(
  spec: ProviderSpec,
  method: string,
  path: string,
  intercept: (ctx: RouteContext) => SimResponse | undefined,
): ProviderSpec {
  return {
    ...spec,
    routes: spec.routes.map((route) =>
      route.method === method && route.path === path
        ? { ...route, handle: (ctx: RouteContext) => intercept(ctx) ?? route.handle(ctx) }
        : route,
    ),
  }
}
