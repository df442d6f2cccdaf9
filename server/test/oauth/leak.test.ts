import t from 'tap'
import type { InjectOptions } from 'fastify'
import { build } from '../helper.js'
import { team } from '../support/fixtures.js'
import {
  callbackOnce,
  cookiesOf,
  OAUTH_PROVIDERS,
  oauthControl,
  oauthSimulators,
  type OAuthProvider,
} from './support.js'

/**
 * Every OAuth secret of a whole session (authorization codes, PKCE verifiers, access and refresh
 * tokens, client secrets, states) is searched for in every response, every log line and the
 * database's text. They may travel only between Cloudlink and the provider.
 */
t.test('no OAuth secret leaks anywhere', async (t) => {
  const { sims, sim, config, secrets } = await oauthSimulators(t)
  const { app, logs } = await build(t, { config: { ...config, LOG_LEVEL: 'trace' } })
  const { workspaceId, owner } = await team(app)
  const bodies: string[] = []
  const inject = async (opts: InjectOptions) => {
    const res = await app.inject(opts)
    bodies.push(res.body, JSON.stringify(res.headers))
    return res
  }
  const states: string[] = []
  const codes: string[] = []

  async function flow(provider: OAuthProvider, query: Record<string, string> = {}) {
    const start = await inject({
      url: `/api/v1/oauth/${provider}/start?${new URLSearchParams({ workspaceId, ...query })}`,
      headers: owner.headers,
    })
    const authorize = new URL(String(start.headers.location))
    states.push(authorize.searchParams.get('state') ?? '')
    const answer = await fetch(authorize, { redirect: 'manual' })
    const back = new URL(answer.headers.get('location') ?? '')
    if (back.searchParams.get('code')) codes.push(back.searchParams.get('code') ?? '')
    const res = await callbackOnce(app, back, cookiesOf(start))
    bodies.push(res.body, JSON.stringify(res.headers))
    await callbackOnce(app, back, cookiesOf(start)).then((r) =>
      bodies.push(r.body, JSON.stringify(r.headers)),
    )
    return new URL(String(res.headers.location), 'http://spa.invalid').searchParams
  }

  const accounts: string[] = []
  for (const provider of OAUTH_PROVIDERS) {
    await oauthControl(sim(provider), 'PUT', 'settings', { accessTokenTtl: 60 })
    const connected = await flow(provider, { label: 'canary' })
    const accountId = connected.get('connected') ?? ''
    t.ok(accountId, `${provider} connected`)
    accounts.push(accountId)
    const url = `/api/v1/workspaces/${workspaceId}/cloud-accounts/${accountId}`
    await inject({ method: 'POST', url: `${url}/recheck`, headers: owner.headers })
    await oauthControl(sim(provider), 'PUT', 'consent', { tamperChallenge: true, times: 1 })
    await flow(provider, { accountId })
    await oauthControl(sim(provider), 'PUT', 'consent', { deny: 'access_denied', times: 1 })
    await flow(provider)
    await flow(provider, { accountId })
    sim(provider).fault({ kind: 'status', status: 500 }, { times: 1 })
    await inject({ method: 'POST', url: `${url}/recheck`, headers: owner.headers })
    const user = (await oauthControl(sim(provider), 'GET', '')).user as { id: string }
    await oauthControl(sim(provider), 'POST', 'revoke-consent', { subject: user.id })
    const expired = await inject({ method: 'POST', url: `${url}/recheck`, headers: owner.headers })
    t.equal(expired.json().status, 'expired', `${provider} expired`)
    await inject({ url, headers: owner.headers })
    await inject({ url: `${url}/checks`, headers: owner.headers })
    await inject({ url: `${url}/servers`, headers: owner.headers })
  }
  await inject({ url: `/api/v1/workspaces/${workspaceId}/cloud-accounts`, headers: owner.headers })
  await inject({ url: `/api/v1/workspaces/${workspaceId}/audit`, headers: owner.headers })
  await inject({ url: '/api/v1/providers', headers: owner.headers })

  // Every secret the providers saw: bearer tokens, and the form fields of token requests.
  const tokens = new Set<string>()
  for (const s of sims.values())
    for (const r of s.requests) {
      if (r.credential && !r.credential.startsWith('(')) tokens.add(r.credential)
      const form = new URLSearchParams(r.body)
      for (const field of [
        'code',
        'code_verifier',
        'refresh_token',
        'access_token',
        'client_secret',
      ])
        if (form.get(field)) tokens.add(form.get(field) as string)
    }
  const fromProvider = [...tokens]
  t.ok(fromProvider.length >= 20, `secrets collected (${fromProvider.length})`)
  t.ok(codes.length >= 6 && states.length >= 12, 'codes and states collected')

  const db = app.orm.em.fork()
  const tables = await db.execute<{ table_name: string }[]>(
    `select table_name from information_schema.tables where table_schema = 'public'`,
  )
  let dbText = ''
  for (const { table_name } of tables) {
    const rows = await db.execute<{ row: string }[]>(`select t::text as row from "${table_name}" t`)
    dbText += rows.map((r) => r.row).join('\n')
  }
  t.ok(dbText.includes('canary'), 'the database text was really read')
  t.ok(logs.join('').includes('oauth callback'), 'the logs were really captured')
  t.ok(logs.join('').includes('incoming request'), 'request logging is on (LOG_LEVEL=trace)')

  const everywhere = { responses: bodies.join('\n'), logs: logs.join('\n'), database: dbText }
  for (const [where, text] of Object.entries(everywhere)) {
    const hits = [...fromProvider, ...codes, ...secrets].filter((secret) => text.includes(secret))
    t.same(hits, [], `no token, code, verifier or client secret in ${where}`)
  }
  // A state is in the start redirect by design (it goes to the provider), nowhere else.
  for (const where of ['logs', 'database'] as const) {
    const hits = states.filter((state) => everywhere[where].includes(state))
    t.same(hits, [], `no state in ${where}`)
  }
})
