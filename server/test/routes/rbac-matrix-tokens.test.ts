import t from 'tap'
import type { InjectOptions } from 'fastify'
import {
  ErrorCode,
  TOKEN_SCOPES,
  type CreateApiTokenBody,
  type TokenScope,
} from '@cloudlink/shared'
import type { RouteAccess } from '../../src/plugins/core/rbac.js'
import { build } from '../helper.js'
import { team } from '../support/fixtures.js'
import { assertErrorShape } from '../support/http.js'
import { fillUrl, routeContext, routeKey, validBody, type RouteContext } from '../support/routes.js'
import { connectSecondAccount, mintToken } from '../support/tokens.js'

// The RBAC matrix for API tokens, generated from the registered route table like the one for
// people (rbac-matrix.test.ts): a route added later is covered by its `config.token` declaration.

type TokenCaller =
  `scope:${TokenScope}` | 'foreign' | 'other-account' | 'read-only' | 'expired' | 'revoked'
const CALLERS: TokenCaller[] = [
  ...TOKEN_SCOPES.map((s) => `scope:${s}` as const),
  'foreign',
  'other-account',
  'read-only',
  'expired',
  'revoked',
]
const ALL_SCOPES = [...TOKEN_SCOPES]

type Answer = { status: number; code: string } | 'allowed'
const unauthenticated = { status: 401, code: ErrorCode.Unauthenticated }
const notFound = { status: 404, code: ErrorCode.NotFound }
const scopeRefused = { status: 403, code: ErrorCode.TokenScope }

/** What the contract says each kind of token gets on a route. */
function expected(route: RouteAccess, caller: TokenCaller): Answer {
  // A public route is refused to any token before it is even looked up.
  if (route.access === 'public') return scopeRefused
  if (caller === 'expired' || caller === 'revoked') return unauthenticated
  if (route.access === 'user') return scopeRefused
  if (caller === 'foreign') return notFound
  if (route.token === false) return scopeRefused
  if (caller.startsWith('scope:'))
    return caller === `scope:${route.token}` ? 'allowed' : scopeRefused
  if (caller === 'read-only')
    return ['GET', 'HEAD'].includes(route.method) ? 'allowed' : scopeRefused
  // other-account: limited to an account that is not the route's.
  if (route.url.includes(':accountId')) return scopeRefused
  return route.tokenAccounts ? 'allowed' : scopeRefused
}

/** Mints the caller's token in (or, for `foreign`, outside) the fixture's workspace. */
async function tokenFor(ctx: RouteContext, caller: TokenCaller): Promise<string> {
  const { app } = ctx
  const body: Partial<CreateApiTokenBody> = { scopes: ALL_SCOPES }
  if (caller.startsWith('scope:')) body.scopes = [caller.slice(6) as TokenScope]
  if (caller === 'read-only') body.readOnly = true
  if (caller === 'other-account') body.accountIds = [await connectSecondAccount(app, ctx.team)]
  const owner = caller === 'foreign' ? await team(app) : ctx.team
  const { token, created } = await mintToken(app, owner, body)
  if (caller === 'expired')
    await app.orm.em
      .fork()
      .execute(`update api_tokens set expires_at = now() - interval '1 second' where id = ?`, [
        created.id,
      ])
  if (caller === 'revoked') {
    const res = await app.inject({
      method: 'DELETE',
      url: `/api/v1/workspaces/${ctx.team.workspaceId}/api-tokens/${created.id}`,
      headers: ctx.team.owner.headers,
    })
    if (res.statusCode !== 204) throw new Error(`revoking failed: ${res.statusCode} ${res.body}`)
  }
  return token
}

t.setTimeout(5 * 60_000)
// SANDBOX: provider calls made by generated requests go to local simulators, never a real cloud.
const { app } = await build(t, { config: { SANDBOX: '1' } })

t.test('every workspace route declares what a token needs', async (t) => {
  for (const route of app.routeAccess)
    if (route.access === 'member' || route.access === 'owner')
      t.ok(route.token === false || TOKEN_SCOPES.includes(route.token), routeKey(route))
  const scopes = new Set(app.routeAccess.map((r) => r.token).filter((s) => s !== false))
  t.ok(scopes.has('accounts:read') && scopes.has('accounts:manage'), 'read and manage are in use')
})

for (const route of app.routeAccess) {
  t.test(`${routeKey(route)} (${route.access}, token: ${route.token})`, async (t) => {
    const results = await Promise.all(
      CALLERS.map(async (caller) => {
        const ctx = await routeContext(app)
        const token = await tokenFor(ctx, caller)
        // The header form alternates, so both are exercised on every route.
        const headers =
          CALLERS.indexOf(caller) % 2 === 0
            ? { authorization: `Bearer ${token}` }
            : { 'x-cloudlink-token': token }
        const res = await app.inject({
          method: route.method as InjectOptions['method'],
          url: await fillUrl(route, ctx),
          headers,
          payload: (await validBody(route, ctx)) as InjectOptions['payload'],
        })
        return { caller, res }
      }),
    )
    for (const { caller, res } of results) {
      const answer = expected(route, caller)
      // The broker hands back the provider's own answer (any status, its own body): it got there.
      const proxied = res.headers['x-cloudlink-proxied'] === '1'
      if (answer === 'allowed') {
        t.ok(
          proxied || ![401, 403, 404].includes(res.statusCode),
          `${caller} is let through (${res.statusCode} ${res.body.slice(0, 200)})`,
        )
        t.ok(
          res.statusCode < 500,
          `${caller} gets no 5xx (${res.statusCode} ${res.body.slice(0, 200)})`,
        )
      } else {
        t.equal(
          res.statusCode,
          answer.status,
          `${caller} gets ${answer.status} (${res.body.slice(0, 200)})`,
        )
        t.equal(res.json().code, answer.code, `${caller} gets ${answer.code}`)
      }
      if (res.statusCode >= 400 && !proxied) assertErrorShape(t, res, caller)
    }
  })
}
