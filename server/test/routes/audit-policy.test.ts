import t from 'tap'
import type { FastifyContextConfig } from 'fastify'
import { buildServer } from '../../src/build-server.js'
import { conflict, providerUnreachable } from '../../src/errors.js'
import { createTestDatabase, testConfig } from '../helper.js'
import { team } from '../support/fixtures.js'

t.test('the server refuses to start when a state-changing route declares no audit', async (t) => {
  const cases: {
    name: string
    method: 'POST' | 'DELETE'
    config: FastifyContextConfig
    error: RegExp | null
  }[] = [
    {
      name: 'a POST without config.audit',
      method: 'POST',
      config: { access: 'user' },
      error: /POST \/api\/v1\/forgotten: config\.audit must name an audit action or be false/,
    },
    {
      name: 'an unknown action',
      method: 'DELETE',
      config: { access: 'user', audit: 'account.vanish' as never },
      error: /DELETE \/api\/v1\/forgotten: unknown audit action account\.vanish/,
    },
    {
      name: 'audit: false is a declaration',
      method: 'POST',
      config: { access: 'user', audit: false },
      error: null,
    },
  ]
  // One database for all: each server is closed before the next starts on it.
  const { env } = await createTestDatabase(t)
  for (const { name, method, config, error } of cases) {
    const server = await buildServer({ config: testConfig(env), webRoot: null })
    // Not awaited: the plugin loads during ready(), which is what must fail.
    server.register(
      async (api) => {
        api.route({ method, url: '/forgotten', config, handler: async () => ({ ok: true }) })
      },
      { prefix: '/api/v1' },
    )
    if (error) await t.rejects(async () => server.ready(), error, name)
    else await t.resolves(async () => server.ready(), name)
    await server.close()
  }
})

t.test(
  'one plugin records every attempt on a declared route: outcome, actor, target',
  async (t) => {
    const { env } = await createTestDatabase(t)
    const app = await buildServer({ config: testConfig(env), webRoot: null })
    t.teardown(() => app.close())
    app.register(
      async (api) => {
        api.post(
          '/workspaces/:workspaceId/cloud-accounts/:accountId/probe',
          { config: { access: 'owner', token: false, audit: 'account.update' } },
          async (request) => {
            request.audit.note({ provider: 'vultr', message: 'probed' })
            const { fail } = request.query as { fail?: string }
            if (fail === 'conflict') throw conflict('Already taken')
            if (fail === 'unreachable')
              throw providerUnreachable({
                outcome: 'unreachable',
                reason: 'timeout',
                message: 'Vultr did not answer within 2 s',
              })
            if (fail === 'crash') throw new Error('an internal detail that must not be audited')
            return { ok: true }
          },
        )
      },
      { prefix: '/api/v1' },
    )
    await app.ready()
    const { workspaceId, owner, member } = await team(app)
    const accountId = '00000000-0000-4000-8000-000000000001'
    const probe = (fail: string, headers = owner.headers) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/workspaces/${workspaceId}/cloud-accounts/${accountId}/probe?fail=${fail}`,
        headers,
      })

    t.equal((await probe('none')).statusCode, 200)
    t.equal((await probe('conflict')).statusCode, 409)
    t.equal((await probe('unreachable')).statusCode, 502)
    t.equal((await probe('crash')).statusCode, 500)
    t.equal((await probe('none', member.headers)).statusCode, 403, 'refused before the handler')

    const audit = await app.inject({
      url: `/api/v1/workspaces/${workspaceId}/audit`,
      headers: owner.headers,
    })
    const items = audit.json().items as Record<string, unknown>[]
    const target = { action: 'account.update', accountId, actor: { id: owner.user.id } }
    t.match(items, [
      { ...target, outcome: 'failed', message: 'Unexpected error' },
      { ...target, outcome: 'unreachable', message: 'Vultr did not answer within 2 s' },
      { ...target, outcome: 'failed', message: 'Already taken' },
      { ...target, outcome: 'success', provider: 'vultr', message: 'probed' },
    ])
    t.equal(items.length, 4, 'a caller refused by access control leaves no entry')
    t.notMatch(audit.body, /internal detail/, 'an unexpected error is recorded without its text')
  },
)
