import t from 'tap'
import type { FastifyContextConfig, InjectOptions } from 'fastify'
import { ACCESS_LEVELS, ErrorCode, type Access } from '@cloudlink/shared'
import { buildServer } from '../../src/build-server.js'
import { build, createTestDatabase, testConfig } from '../helper.js'
import { assertErrorShape } from '../support/http.js'
import {
  fillUrl,
  policyDenials,
  routeContext,
  routeKey,
  validBody,
  type RouteContext,
} from '../support/routes.js'

// Generated from the registered route table, so a route added later is covered without a new test.

type Caller = 'anonymous' | 'outsider' | 'member' | 'owner'
const CALLERS: Caller[] = ['anonymous', 'outsider', 'member', 'owner']

const unauthenticated = { status: 401, code: ErrorCode.Unauthenticated }
// A non-member is told nothing, not even that the workspace exists.
const notFound = { status: 404, code: ErrorCode.NotFound }
const forbidden = { status: 403, code: ErrorCode.Forbidden }

/** The answer each caller must get per access level; a caller not listed is allowed. */
const DENIED: Record<Access, Partial<Record<Caller, { status: number; code: string }>>> = {
  public: {},
  user: { anonymous: unauthenticated },
  member: { anonymous: unauthenticated, outsider: notFound },
  owner: { anonymous: unauthenticated, outsider: notFound, member: forbidden },
}

const headersFor = (ctx: RouteContext, caller: Caller) =>
  caller === 'anonymous' ? {} : ctx.team[caller].headers

// Every route gets many requests: on embedded PGlite and a busy machine that outlasts tap's
// 120 s default for one file.
t.setTimeout(5 * 60_000)

// SANDBOX: provider calls made by generated requests go to local simulators, never a real cloud.
const { app } = await build(t, { config: { SANDBOX: '1' } })

t.test('the route table covers every access level', async (t) => {
  const levels = new Set(app.routeAccess.map((route) => route.access))
  t.same([...levels].sort(), [...ACCESS_LEVELS].sort())
})

for (const route of app.routeAccess) {
  t.test(`${routeKey(route)} (${route.access})`, async (t) => {
    // Fresh fixtures per caller: one request may use up what another needs (a session logged
    // out, an invitation accepted, a member removed). It also lets the callers run side by side.
    const results = await Promise.all(
      CALLERS.map(async (caller) => {
        const ctx = await routeContext(app)
        const res = await app.inject({
          method: route.method as InjectOptions['method'],
          url: await fillUrl(route, ctx),
          headers: headersFor(ctx, caller),
          payload: (await validBody(route, ctx)) as InjectOptions['payload'],
        })
        return { caller, res }
      }),
    )
    for (const { caller, res } of results) {
      const denied =
        (caller === 'anonymous' ? undefined : policyDenials[routeKey(route)]?.[caller]) ??
        DENIED[route.access][caller]
      if (denied) {
        t.equal(res.statusCode, denied.status, `${caller} gets ${denied.status}`)
        t.equal(res.json().code, denied.code, `${caller} gets ${denied.code}`)
      } else {
        t.notOk(
          [401, 403, 404].includes(res.statusCode),
          `${caller} is let through (${res.statusCode})`,
        )
        t.ok(
          res.statusCode < 500,
          `${caller} gets no 5xx (${res.statusCode} ${res.body.slice(0, 200)})`,
        )
      }
      if (res.statusCode >= 400) assertErrorShape(t, res, caller)
    }
  })
}

t.test('the server refuses to start with a misconfigured /api/v1 route', async (t) => {
  const cases: { name: string; url?: string; config: FastifyContextConfig; error: RegExp }[] = [
    {
      name: 'no config.access',
      config: {},
      error: /GET \/api\/v1\/forgotten: config\.access must be one of/,
    },
    {
      name: 'member access without :workspaceId',
      config: { access: 'member' },
      error: /'member' access needs a :workspaceId param/,
    },
    {
      name: 'a workspace route without config.token',
      url: '/workspaces/:workspaceId/forgotten',
      config: { access: 'owner' },
      error: /config\.token must be false or one of accounts:read, accounts:manage, accounts:use/,
    },
    {
      name: 'an unknown token scope',
      url: '/workspaces/:workspaceId/forgotten',
      config: { access: 'member', token: 'members:read' as never },
      error: /config\.token must be false or one of/,
    },
    {
      name: 'a scope on a route no token may call',
      config: { access: 'user', token: 'accounts:read' },
      error: /'user' routes never take an API token/,
    },
  ]
  // One database for all: each server is closed before the next starts on it.
  const { env } = await createTestDatabase(t)
  for (const { name, url = '/forgotten', config, error } of cases) {
    const server = await buildServer({ config: testConfig(env), webRoot: null })
    // Not awaited: the plugin loads during ready(), which is what must fail.
    server.register(
      async (api) => {
        api.get(url, { config }, async () => ({ ok: true }))
      },
      { prefix: '/api/v1' },
    )
    await t.rejects(async () => server.ready(), error, name)
    await server.close()
  }
})
