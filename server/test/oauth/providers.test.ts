import t from 'tap'
import type { Provider } from '@cloudlink/shared'
import { build } from '../helper.js'
import { team } from '../support/fixtures.js'
import { accountsOf, OAUTH_PROVIDERS, oauthControl, oauthSimulators, runFlow } from './support.js'

/** What GET /providers says about one-click connect, and the sandbox's ready-made OAuth apps. */

const providersOf = async (app: Awaited<ReturnType<typeof build>>['app']) => {
  const { owner } = await team(app)
  const res = await app.inject({ url: '/api/v1/providers', headers: owner.headers })
  const items = (res.json() as { items: Provider[] }).items
  return Object.fromEntries(items.map((p) => [p.id, p]))
}

t.test('without OAuth apps: unavailable, with what a self-hoster must register', async (t) => {
  const { app } = await build(t, { config: { PUBLIC_URL: 'https://cloud.example.test/' } })
  const byId = await providersOf(app)
  for (const id of ['azure', 'gcp'] as const) {
    const p = byId[id] as Provider
    t.match(p, { authType: 'oauth', available: false, oauth: { available: false } })
    t.ok(p.consoleUrl && p.permissions.length > 0)
    for (const text of [p.notes, p.oauth?.note]) {
      t.match(text, `https://cloud.example.test/api/v1/oauth/${id}/callback`, 'exact redirect URI')
      t.match(text, `OAUTH_${id.toUpperCase()}_CLIENT_ID`)
    }
  }
  t.match(byId.azure?.notes, 'https://management.azure.com/user_impersonation offline_access')
  t.match(byId.gcp?.notes, 'https://www.googleapis.com/auth/cloud-platform')
  // DigitalOcean keeps its token method; only its one-click connect is unavailable.
  t.match(byId.digitalocean, {
    authType: 'token',
    available: true,
    oauth: { available: false, note: /api\/v1\/oauth\/digitalocean\/callback.*read write/ },
  })
  t.notOk(byId.linode?.oauth, 'providers without OAuth say nothing about it')

  const { workspaceId, owner } = await team(app)
  const start = await app.inject({
    url: `/api/v1/oauth/azure/start?workspaceId=${workspaceId}`,
    headers: owner.headers,
  })
  t.same([start.statusCode, start.json().code], [400, 'VALIDATION_FAILED'])
  const typed = await app.inject({
    method: 'POST',
    url: `/api/v1/workspaces/${workspaceId}/cloud-accounts`,
    headers: owner.headers,
    payload: { provider: 'gcp', label: 'x', credentials: { token: 'ya29.abc' } },
  })
  t.equal(typed.statusCode, 400, 'an OAuth-only provider takes no typed-in credential')
})

t.test('with OAuth apps: available, no setup note', async (t) => {
  const { config } = await oauthSimulators(t)
  const { app } = await build(t, { config })
  const byId = await providersOf(app)
  for (const id of OAUTH_PROVIDERS) {
    t.match(byId[id], { available: true, oauth: { available: true } })
    t.notOk(byId[id]?.oauth?.note)
  }
  t.notOk(byId.azure?.notes)
})

t.test(
  'sandbox: one click connects all three; revoked consent expires on the next sweep',
  async (t) => {
    const { app } = await build(t, { config: { SANDBOX: '1', RECHECK_SCHEDULE: '0 0 1 1 *' } })
    const byId = await providersOf(app)
    for (const id of OAUTH_PROVIDERS)
      t.match(byId[id], { available: true, oauth: { available: true } })

    const { workspaceId, owner } = await team(app)
    for (const provider of OAUTH_PROVIDERS) {
      const flow = await runFlow(app, { provider, headers: owner.headers, workspaceId })
      t.ok(flow.landed?.searchParams.get('connected'), `${provider}: ${flow.landed?.search}`)
    }
    const accounts = await accountsOf(app, workspaceId, owner.headers)
    t.same(accounts.map((a) => [a.provider, a.status]).sort(), [
      ['azure', 'connected'],
      ['digitalocean', 'connected'],
      ['gcp', 'connected'],
    ])

    for (const provider of OAUTH_PROVIDERS)
      await oauthControl(
        { url: app.sandbox.urls[provider] as string },
        'POST',
        'revoke-consent',
        {},
      )
    await app.orm.em.fork().execute(`update cloud_accounts set last_checked_at = null`)
    const counts = await app.jobs.runRecheck()
    t.match(counts, { checked: 3, rejected: 3 })
    const after = await accountsOf(app, workspaceId, owner.headers)
    for (const a of after)
      t.match(a, { status: 'expired', statusReason: /invalid_grant/ }, String(a.provider))
  },
)
