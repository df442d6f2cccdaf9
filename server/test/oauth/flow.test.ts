import t from 'tap'
import { build } from '../helper.js'
import { team } from '../support/fixtures.js'
import {
  accountsOf,
  callbackOnce,
  landedOf,
  OAUTH_PROVIDERS,
  oauthControl,
  oauthSimulators,
  runFlow,
} from './support.js'

/**
 * One-click connect against each provider's OAuth simulator over real HTTP: start (302 to the
 * provider), the provider's consent (auto, or denied), the callback (302 to the SPA).
 */

const { sim, config } = await oauthSimulators(t)
const { app } = await build(t, { config })

/** The newest audit entry of a workspace: where a failure's detail goes instead of the SPA's URL. */
async function lastAudit(workspaceId: string, headers: Record<string, string>) {
  const res = await app.inject({ url: `/api/v1/workspaces/${workspaceId}/audit`, headers })
  return res.json().items[0] as { action: string; outcome: string; message?: string }
}

for (const provider of OAUTH_PROVIDERS) {
  t.test(provider, async (t) => {
    t.afterEach(() => oauthControl(sim(provider), 'PUT', 'consent', {}))

    t.test('success: connected, verified, listed, audited; the SPA highlights it', async (t) => {
      const { workspaceId, owner } = await team(app)
      const user = (await oauthControl(sim(provider), 'GET', '')).user as { id: string }
      const flow = await runFlow(app, {
        provider,
        headers: owner.headers,
        workspaceId,
        label: `Prod ${provider}`,
      })
      t.equal(flow.start.statusCode, 302)
      const authorize = new URL(String(flow.start.headers.location))
      t.equal(authorize.origin, sim(provider).url, 'sent to the provider')
      t.equal(authorize.searchParams.get('code_challenge_method'), 'S256')
      t.match(authorize.searchParams.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/)
      t.ok(authorize.searchParams.get('state'))
      t.equal(
        authorize.searchParams.get('redirect_uri'),
        `http://127.0.0.1:0/api/v1/oauth/${provider}/callback`,
      )
      t.equal(flow.callback?.statusCode, 302)
      t.equal(flow.landed?.pathname, '/settings/connections/cloud-accounts')
      const accountId = flow.landed?.searchParams.get('connected')
      t.ok(accountId, `connected=<id> (${flow.landed?.search})`)

      const [account] = await accountsOf(app, workspaceId, owner.headers)
      t.match(account, {
        id: accountId,
        provider,
        label: `Prod ${provider}`,
        status: 'connected',
        hint: `OAuth ••••${user.id.slice(-4)}`,
        serverCount: 2,
        lastCheck: { outcome: 'ok' },
      })
      t.match((account?.identity as { id: string }).id, new RegExp(`${user.id}$`))
      const audit = await app.inject({
        url: `/api/v1/workspaces/${workspaceId}/audit`,
        headers: owner.headers,
      })
      t.match(audit.json().items[0], {
        action: 'account.connect',
        outcome: 'success',
        provider,
        accountId,
        actor: { id: owner.user.id },
      })
    })

    t.test('consent denied: access_denied is shown, nothing is stored', async (t) => {
      const { workspaceId, owner } = await team(app)
      await oauthControl(sim(provider), 'PUT', 'consent', { deny: 'access_denied' })
      const flow = await runFlow(app, { provider, headers: owner.headers, workspaceId })
      t.equal(flow.back?.searchParams.get('error'), 'access_denied')
      t.equal(flow.landed?.searchParams.get('oauthError'), 'access_denied')
      t.equal(flow.landed?.searchParams.get('provider'), provider)
      t.same(
        [...(flow.landed?.searchParams.keys() ?? [])].sort(),
        ['oauthError', 'provider'],
        'the code and the provider only: no free text for the SPA to show',
      )
      t.same(await accountsOf(app, workspaceId, owner.headers), [])
      t.match(await lastAudit(workspaceId, owner.headers), {
        action: 'account.connect',
        outcome: 'failed',
        provider,
        message: /Consent was denied/,
      })
    })

    t.test('a state is single-use: the replayed callback stores nothing more', async (t) => {
      const { workspaceId, owner } = await team(app)
      const flow = await runFlow(app, { provider, headers: owner.headers, workspaceId })
      t.ok(flow.landed?.searchParams.get('connected'))
      const replay = await callbackOnce(app, flow.back as URL, flow.cookies)
      t.equal(landedOf(replay)?.searchParams.get('oauthError'), 'invalid_state')
      t.equal((await accountsOf(app, workspaceId, owner.headers)).length, 1)
    })

    t.test('an expired state is refused, and the code is never traded', async (t) => {
      const { workspaceId, owner } = await team(app)
      sim(provider).clearRequests()
      const start = await app.inject({
        url: `/api/v1/oauth/${provider}/start?workspaceId=${workspaceId}`,
        headers: owner.headers,
      })
      const authorize = await fetch(String(start.headers.location), { redirect: 'manual' })
      const back = new URL(authorize.headers.get('location') ?? '')
      await app.orm.em
        .fork()
        .execute(`update oauth_states set expires_at = now() - interval '1 second'`)
      const { cookiesOf } = await import('./support.js')
      const res = await callbackOnce(app, back, cookiesOf(start))
      t.equal(landedOf(res)?.searchParams.get('oauthError'), 'expired_state')
      t.same(await accountsOf(app, workspaceId, owner.headers), [])
      t.notOk(
        sim(provider).requests.some((r) => r.method === 'POST'),
        'no token request was made',
      )
    })

    t.test('PKCE mismatch: the provider refuses the code, nothing is stored', async (t) => {
      const { workspaceId, owner } = await team(app)
      await oauthControl(sim(provider), 'PUT', 'consent', { tamperChallenge: true })
      const flow = await runFlow(app, { provider, headers: owner.headers, workspaceId })
      t.equal(flow.landed?.searchParams.get('oauthError'), 'exchange_failed')
      t.notOk(flow.landed?.searchParams.has('message'), 'no free text in the landing URL')
      t.match((await lastAudit(workspaceId, owner.headers)).message, /invalid_grant/)
      t.same(await accountsOf(app, workspaceId, owner.headers), [])
    })

    t.test('the callback in another browser (no binding cookie) is refused', async (t) => {
      const { workspaceId, owner } = await team(app)
      const flow = await runFlow(app, {
        provider,
        headers: owner.headers,
        workspaceId,
        callbackCookies: {},
      })
      t.equal(flow.landed?.searchParams.get('oauthError'), 'browser_mismatch')
      t.same(await accountsOf(app, workspaceId, owner.headers), [])
    })

    t.test('start: owner only, workspace in the query', async (t) => {
      const { workspaceId, member, outsider } = await team(app)
      const url = `/api/v1/oauth/${provider}/start?workspaceId=${workspaceId}`
      const anonymous = await app.inject({ url })
      t.same([anonymous.statusCode, anonymous.json().code], [401, 'UNAUTHENTICATED'])
      const stranger = await app.inject({ url, headers: outsider.headers })
      t.same([stranger.statusCode, stranger.json().code], [404, 'NOT_FOUND'])
      const notOwner = await app.inject({ url, headers: member.headers })
      t.same([notOwner.statusCode, notOwner.json().code], [403, 'FORBIDDEN'])
      const noWorkspace = await app.inject({
        url: `/api/v1/oauth/${provider}/start`,
        headers: member.headers,
      })
      t.same([noWorkspace.statusCode, noWorkspace.json().code], [400, 'VALIDATION_FAILED'])
    })

    t.test('a callback without state, or with an unknown one, stores nothing', async (t) => {
      for (const query of ['', '?code=abc', '?code=abc&state=made-up']) {
        const res = await app.inject({ url: `/api/v1/oauth/${provider}/callback${query}` })
        t.equal(res.statusCode, 302)
        t.equal(landedOf(res)?.searchParams.get('oauthError'), 'invalid_state', query)
      }
    })
  })
}

t.test('reconnect: the owner of a grant re-runs the authorization', async (t) => {
  const { workspaceId, owner } = await team(app)
  const first = await runFlow(app, { provider: 'gcp', headers: owner.headers, workspaceId })
  const accountId = first.landed?.searchParams.get('connected') ?? ''
  t.ok(accountId)
  const again = await runFlow(app, {
    provider: 'gcp',
    headers: owner.headers,
    workspaceId,
    accountId,
  })
  t.equal(again.landed?.searchParams.get('connected'), accountId, 'same account')
  t.equal((await accountsOf(app, workspaceId, owner.headers)).length, 1)

  const wrongProvider = await app.inject({
    url: `/api/v1/oauth/azure/start?workspaceId=${workspaceId}&accountId=${accountId}`,
    headers: owner.headers,
  })
  t.same([wrongProvider.statusCode, wrongProvider.json().code], [404, 'NOT_FOUND'])
})

t.test('the same provider account twice in a workspace is a conflict', async (t) => {
  const { workspaceId, owner } = await team(app)
  await runFlow(app, { provider: 'digitalocean', headers: owner.headers, workspaceId })
  const twice = await runFlow(app, {
    provider: 'digitalocean',
    headers: owner.headers,
    workspaceId,
  })
  t.equal(twice.landed?.searchParams.get('oauthError'), 'already_connected')
  t.equal((await accountsOf(app, workspaceId, owner.headers)).length, 1)
})

t.test('Azure: a wrong tenant is shown with the provider error', async (t) => {
  const { workspaceId, owner } = await team(app)
  await oauthControl(sim('azure'), 'PUT', 'consent', {
    deny: 'invalid_request',
    description:
      "AADSTS50020: User account 'ada@contoso.example' from identity provider 'live.com' does not exist in tenant 'Fabrikam'.",
    times: 1,
  })
  const flow = await runFlow(app, { provider: 'azure', headers: owner.headers, workspaceId })
  t.equal(flow.landed?.searchParams.get('oauthError'), 'invalid_request')
  t.notOk(flow.landed?.searchParams.has('message'), 'no free text in the landing URL')
  t.match((await lastAudit(workspaceId, owner.headers)).message, /AADSTS50020/)
  t.same(await accountsOf(app, workspaceId, owner.headers), [])
})

t.test('Google: a missing cloud-platform scope is refused, nothing is stored', async (t) => {
  const { workspaceId, owner } = await team(app)
  await oauthControl(sim('gcp'), 'PUT', 'consent', { grantedScope: 'openid email', times: 1 })
  const flow = await runFlow(app, { provider: 'gcp', headers: owner.headers, workspaceId })
  t.equal(flow.landed?.searchParams.get('oauthError'), 'insufficient_scope')
  t.same(await accountsOf(app, workspaceId, owner.headers), [])
})

t.test('Google: SERVICE_DISABLED is a warning naming the API, not a rejection', async (t) => {
  const { workspaceId, owner } = await team(app)
  await oauthControl(sim('gcp'), 'PUT', 'settings', { serviceDisabled: true })
  t.teardown(() => oauthControl(sim('gcp'), 'PUT', 'settings', { serviceDisabled: false }))
  const flow = await runFlow(app, { provider: 'gcp', headers: owner.headers, workspaceId })
  t.ok(flow.landed?.searchParams.get('connected'), flow.landed?.search)
  const [account] = await accountsOf(app, workspaceId, owner.headers)
  t.equal(account?.status, 'connected')
  t.match((account?.warnings as string[]).join(' '), /Cloud Resource Manager API is disabled/)
})

t.test('Azure: a user without any subscription is refused', async (t) => {
  const { workspaceId, owner } = await team(app)
  await oauthControl(sim('azure'), 'PUT', 'user', { scopes: 'insufficient' })
  t.teardown(() => oauthControl(sim('azure'), 'PUT', 'user', {}))
  const flow = await runFlow(app, { provider: 'azure', headers: owner.headers, workspaceId })
  t.equal(flow.landed?.searchParams.get('oauthError'), 'rejected')
  t.notOk(flow.landed?.searchParams.has('message'), 'no free text in the landing URL')
  t.match((await lastAudit(workspaceId, owner.headers)).message, /no Azure subscription/)
  t.same(await accountsOf(app, workspaceId, owner.headers), [])
})

t.test('an owner demoted while at the provider gets nothing connected', async (t) => {
  const { workspaceId, owner } = await team(app)
  const start = await app.inject({
    url: `/api/v1/oauth/digitalocean/start?workspaceId=${workspaceId}`,
    headers: owner.headers,
  })
  const authorize = await fetch(String(start.headers.location), { redirect: 'manual' })
  const back = new URL(authorize.headers.get('location') ?? '')
  await app.orm.em
    .fork()
    .execute(`update memberships set role = 'member' where user_id = ?`, [owner.user.id])
  const { cookiesOf } = await import('./support.js')
  const res = await callbackOnce(app, back, cookiesOf(start))
  t.equal(landedOf(res)?.searchParams.get('oauthError'), 'forbidden')
  t.same(await accountsOf(app, workspaceId, owner.headers), [])
})
