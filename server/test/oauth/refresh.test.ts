import t from 'tap'
import { createAccountsService } from '../../src/domain/cloud-accounts/accounts-service.js'
import { build } from '../helper.js'
import { team } from '../support/fixtures.js'
import {
  OAUTH_PROVIDERS,
  oauthControl,
  oauthSimulators,
  runFlow,
  storedCiphertext,
  storedGrant,
  type OAuthProvider,
} from './support.js'

/**
 * Tokens over time: an access token is renewed before use (recheck and sweep share the path), a
 * rotated refresh token is stored at once, and `invalid_grant` turns the account `expired`.
 */

const { sim, config } = await oauthSimulators(t)
const { app } = await build(t, { config })

async function connect(provider: OAuthProvider, ttlSeconds?: number) {
  if (ttlSeconds !== undefined)
    await oauthControl(sim(provider), 'PUT', 'settings', { accessTokenTtl: ttlSeconds })
  const ctx = await team(app)
  const flow = await runFlow(app, {
    provider,
    headers: ctx.owner.headers,
    workspaceId: ctx.workspaceId,
  })
  await oauthControl(sim(provider), 'PUT', 'settings', {
    accessTokenTtl: provider === 'digitalocean' ? 2592000 : 3599,
  })
  const accountId = flow.landed?.searchParams.get('connected')
  if (!accountId) throw new Error(`connect failed: ${flow.landed?.search}`)
  return { ...ctx, accountId }
}

const recheck = (ctx: {
  workspaceId: string
  accountId: string
  owner: { headers: Record<string, string> }
}) =>
  app.inject({
    method: 'POST',
    url: `/api/v1/workspaces/${ctx.workspaceId}/cloud-accounts/${ctx.accountId}/recheck`,
    headers: ctx.owner.headers,
  })

const tokenRequests = (provider: OAuthProvider) =>
  sim(provider).requests.filter(
    (r) => r.method === 'POST' && /token$/.test(r.path.split('?')[0] ?? ''),
  )

for (const provider of OAUTH_PROVIDERS) {
  t.test(provider, async (t) => {
    t.test('an expiring access token is renewed before the check, and stored', async (t) => {
      // 60 s left: inside the 5-minute renewal window.
      const ctx = await connect(provider, 60)
      const before = await storedGrant(app, ctx.accountId)
      sim(provider).clearRequests()
      const res = await recheck(ctx)
      t.equal(res.statusCode, 200)
      t.match(res.json(), { status: 'connected', lastCheck: { outcome: 'ok' } })
      const refreshes = tokenRequests(provider)
      t.equal(refreshes.length, 1, 'one refresh')
      t.match(refreshes[0]?.body, /grant_type=refresh_token/)
      const after = await storedGrant(app, ctx.accountId)
      t.not(after?.accessToken, before?.accessToken, 'new access token stored')
      t.ok(Date.parse(after?.expiresAt ?? '') - Date.now() > 30 * 60 * 1000, 'fresh expiry stored')
      if (provider === 'gcp') t.equal(after?.refreshToken, before?.refreshToken, 'Google keeps it')
      else t.not(after?.refreshToken, before?.refreshToken, 'a new refresh token is stored')
      // The API calls of the check used the new token.
      const used = sim(provider).requests.filter((r) => r.credential === after?.accessToken)
      t.ok(used.length > 0, 'the check used the renewed token')

      const again = await recheck(ctx)
      t.equal(again.json().status, 'connected')
      t.equal(tokenRequests(provider).length, 1, 'a fresh token is not renewed again')
    })

    t.test(
      'revoked consent: the renewal answers invalid_grant and the account is expired',
      async (t) => {
        const ctx = await connect(provider, 60)
        const user = (await oauthControl(sim(provider), 'GET', '')).user as { id: string }
        await oauthControl(sim(provider), 'POST', 'revoke-consent', { subject: user.id })
        const res = await recheck(ctx)
        t.equal(res.statusCode, 200)
        t.match(res.json(), {
          status: 'expired',
          statusReason: /invalid_grant/,
          lastCheck: { outcome: 'rejected' },
        })
      },
    )

    t.test(
      'revoked consent with a still-fresh token: a refused token is renewed once → expired',
      async (t) => {
        const ctx = await connect(provider)
        const user = (await oauthControl(sim(provider), 'GET', '')).user as { id: string }
        await oauthControl(sim(provider), 'POST', 'revoke-consent', { subject: user.id })
        const res = await recheck(ctx)
        t.match(res.json(), { status: 'expired', statusReason: /invalid_grant/ })
      },
    )

    t.test('a token endpoint that is down changes nothing', async (t) => {
      const ctx = await connect(provider, 60)
      const before = await storedCiphertext(app, ctx.accountId)
      sim(provider).fault({ kind: 'status', status: 503 }, { times: 1 })
      const res = await recheck(ctx)
      t.match(res.json(), { status: 'connected', lastCheck: { outcome: 'unreachable' } })
      t.ok((await storedCiphertext(app, ctx.accountId)).equals(before), 'grant untouched')
      const later = await recheck(ctx)
      t.match(later.json(), { status: 'connected', lastCheck: { outcome: 'ok' } })
    })
  })
}

t.test(
  'DigitalOcean rotation: the spent refresh token is dead, the stored one works',
  async (t) => {
    const ctx = await connect('digitalocean', 60)
    const before = await storedGrant(app, ctx.accountId)
    await recheck(ctx)
    const after = await storedGrant(app, ctx.accountId)
    const form = (refreshToken: string) =>
      fetch(`${sim('digitalocean').url}/v1/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          client_id: config.OAUTH_DIGITALOCEAN_CLIENT_ID as string,
          client_secret: config.OAUTH_DIGITALOCEAN_CLIENT_SECRET as string,
        }),
      })
    const spent = await form(before?.refreshToken ?? '')
    t.equal(spent.status, 400, 'the old refresh token was spent by the renewal')
    t.equal(((await spent.json()) as { error: string }).error, 'invalid_grant')
    const live = await form(after?.refreshToken ?? '')
    t.equal(live.status, 200, 'the stored refresh token is the live one')
  },
)

t.test('concurrent checks renewing one rotating grant: no false expiry', async (t) => {
  const ctx = await connect('digitalocean', 60)
  const [a, b] = await Promise.all([recheck(ctx), recheck(ctx)])
  const statuses = [a.json().status, b.json().status]
  t.notOk(statuses.includes('expired'), `statuses: ${statuses.join(', ')}`)
  const final = await app.inject({
    url: `/api/v1/workspaces/${ctx.workspaceId}/cloud-accounts/${ctx.accountId}`,
    headers: ctx.owner.headers,
  })
  t.equal(final.json().status, 'connected')
  t.equal(
    tokenRequests('digitalocean').filter((r) => r.body.includes('refresh_token')).length >= 1,
    true,
  )
  // The grant that survived holds the live refresh token.
  const grant = await storedGrant(app, ctx.accountId)
  const live = await fetch(`${sim('digitalocean').url}/v1/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: grant?.refreshToken ?? '',
      client_id: config.OAUTH_DIGITALOCEAN_CLIENT_ID as string,
      client_secret: config.OAUTH_DIGITALOCEAN_CLIENT_SECRET as string,
    }),
  })
  t.equal(live.status, 200)
})

t.test('the sweep path (checkStored + applyCheck) renews and records like a recheck', async (t) => {
  const ctx = await connect('azure', 60)
  const before = await storedGrant(app, ctx.accountId)
  const service = createAccountsService({
    em: app.orm.em.fork(),
    vault: app.vault,
    providers: app.providers,
  })
  const account = await service.find(ctx.workspaceId, ctx.accountId)
  const run = await service.checkStored(account)
  t.equal(run.result.outcome, 'verified')
  t.ok(run.ciphertext, 'the run carries the grant it stored')
  // Dropped-check case: even if the sweep never applied this run, the renewal is already stored.
  const stored = await storedGrant(app, ctx.accountId)
  t.not(stored?.accessToken, before?.accessToken)
  t.equal(await service.applyCheck(account, run, 'scheduled'), true, 'the verdict is applied')
  const checks = await app.inject({
    url: `/api/v1/workspaces/${ctx.workspaceId}/cloud-accounts/${ctx.accountId}/checks`,
    headers: ctx.owner.headers,
  })
  t.match(checks.json().items[0], { trigger: 'scheduled', outcome: 'ok' })
})

t.test('a reconnect that fails keeps the old grant in use', async (t) => {
  const ctx = await connect('digitalocean')
  const before = await storedCiphertext(app, ctx.accountId)

  await oauthControl(sim('digitalocean'), 'PUT', 'consent', { deny: 'access_denied', times: 1 })
  const denied = await runFlow(app, {
    provider: 'digitalocean',
    headers: ctx.owner.headers,
    workspaceId: ctx.workspaceId,
    accountId: ctx.accountId,
  })
  t.equal(denied.landed?.searchParams.get('oauthError'), 'access_denied')

  // Another DigitalOcean user consents: ACCOUNT_MISMATCH, the grant stays.
  await oauthControl(sim('digitalocean'), 'PUT', 'user', {})
  t.teardown(() => oauthControl(sim('digitalocean'), 'PUT', 'user', {}))
  const other = await runFlow(app, {
    provider: 'digitalocean',
    headers: ctx.owner.headers,
    workspaceId: ctx.workspaceId,
    accountId: ctx.accountId,
  })
  t.equal(other.landed?.searchParams.get('oauthError'), 'account_mismatch')
  t.ok((await storedCiphertext(app, ctx.accountId)).equals(before), 'old grant kept')
  const res = await recheck(ctx)
  t.match(res.json(), { status: 'connected', lastCheck: { outcome: 'ok' } }, 'and still works')
  const audit = await app.inject({
    url: `/api/v1/workspaces/${ctx.workspaceId}/audit`,
    headers: ctx.owner.headers,
  })
  t.ok(
    audit
      .json()
      .items.some(
        (e: { action: string; outcome: string }) =>
          e.action === 'account.reconnect' && e.outcome === 'rejected',
      ),
    'the mismatch is audited',
  )
})
