import t from 'tap'
import { mintSession } from '../../src/domain/broker/session.js'
import { ApiError } from '../../src/errors.js'
import { build } from '../helper.js'
import { team } from '../support/fixtures.js'
import {
  OAUTH_PROVIDERS,
  oauthControl,
  oauthSimulators,
  runFlow,
  storedGrant,
  type OAuthProvider,
} from '../oauth/support.js'
import { call, newBroker } from './support.js'

/**
 * OAuth accounts through the broker: the grant's access token as Bearer, renewed first when it is
 * about to expire and stored at once (a spent DigitalOcean refresh token must never be lost), and
 * handed out by the session endpoint for tools that cannot use the broker.
 */

const { sim, config } = await oauthSimulators(t)
const { app } = await build(t, { config })
const broker = newBroker(app)

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
  return { workspaceId: ctx.workspaceId, accountId }
}

/** A read each provider's simulator answers, on the broker's default origin. */
const READ: Record<OAuthProvider, string> = {
  digitalocean: '/v2/account',
  azure: '/subscriptions',
  gcp: '/compute/v1/projects/example/aggregated/instances',
}
const tokenRequests = (provider: OAuthProvider) =>
  sim(provider).requests.filter((r) => r.method === 'POST' && /token$/.test(r.path.split('?')[0]!))

for (const provider of OAUTH_PROVIDERS)
  t.test(provider, async (t) => {
    t.test(
      'the stored access token goes as Bearer; a dying one is renewed and stored first',
      async (t) => {
        const target = await connect(provider, 60)
        const before = await storedGrant(app, target.accountId)
        sim(provider).clearRequests()
        const res = await call(app, broker, target, {
          path: READ[provider],
          query: provider === 'azure' ? 'api-version=2022-12-01' : '',
          headers: { authorization: 'Bearer caller-token' },
        })
        t.not(res.status, 401, `${res.status} ${res.text.slice(0, 160)}`)
        t.equal(tokenRequests(provider).length, 1, 'renewed once')
        const after = await storedGrant(app, target.accountId)
        t.not(after?.accessToken, before?.accessToken, 'the renewed grant is stored')
        const sent = sim(provider).requests.at(-1)!
        t.equal(sent.credential, after?.accessToken, 'and its access token was sent')
        t.notMatch(JSON.stringify(sent.headers), /caller-token/)

        const again = await call(app, broker, target, { path: READ[provider] })
        t.not(again.status, 401)
        t.equal(tokenRequests(provider).length, 1, 'a fresh token is used as it is')
      },
    )

    t.test('the session endpoint hands out the current access token', async (t) => {
      const target = await connect(provider)
      const { session } = await mintSession(
        { em: app.orm.em.fork(), vault: app.vault, providers: app.providers },
        { ...target, durationSeconds: 3600 },
      )
      const grant = await storedGrant(app, target.accountId)
      t.same(session, { accessToken: grant?.accessToken, expiresAt: grant?.expiresAt })
    })

    t.test('revoked consent: 422 from the renewal, a check is asked for', async (t) => {
      const target = await connect(provider, 60)
      const user = (await oauthControl(sim(provider), 'GET', '')).user as { id: string }
      await oauthControl(sim(provider), 'POST', 'revoke-consent', { subject: user.id })
      const res = await call(app, broker, target, { path: READ[provider] })
      t.equal(res.status, 422)
      t.match(res.error?.details, { providerCode: 'invalid_grant' })
      await broker.settled()
      const rows = await app.orm.em
        .fork()
        .execute<{ recheck_requested_at: Date | null }[]>(
          `select recheck_requested_at from cloud_accounts where id = ?`,
          [target.accountId],
        )
      t.ok(rows[0]?.recheck_requested_at, 'the account is due for a check')
    })
  })

t.test('a personal DigitalOcean token has no short-lived form: 409', async (t) => {
  const digitalocean = sim('digitalocean')
  const ctx = await team(app)
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/workspaces/${ctx.workspaceId}/cloud-accounts`,
    headers: ctx.owner.headers,
    payload: {
      provider: 'digitalocean',
      label: 'pat',
      credentials: digitalocean.issueCredential(),
    },
  })
  t.equal(res.statusCode, 201, res.body)
  const err = await mintSession(
    { em: app.orm.em.fork(), vault: app.vault, providers: app.providers },
    { workspaceId: ctx.workspaceId, accountId: res.json().id, durationSeconds: 3600 },
  ).catch((e: unknown) => e)
  t.ok(err instanceof ApiError && err.code === 'CONFLICT', 'CONFLICT')
})
