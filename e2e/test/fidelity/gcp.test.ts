import t from 'tap'
import { OAuth2Client, CodeChallengeMethod } from 'google-auth-library'
import { compute } from '@googleapis/compute'
import { cloudresourcemanager } from '@googleapis/cloudresourcemanager'
import { startSimulator } from '../../src/simulators/index.js'
import { GCP_SIM_PROJECT, CLOUD_PLATFORM } from '../../src/simulators/providers/gcp.js'
import { fleet, requestsTo } from '../helpers/fidelity.js'

/**
 * Google Cloud through Google's own Node libraries: `google-auth-library` for the flow the product
 * uses (authorization code with PKCE, code exchange, refresh, tokeninfo introspection), and the
 * generated REST clients `@googleapis/cloudresourcemanager` and `@googleapis/compute` (the
 * googleapis packages, which take a `rootUrl`) for projects and the aggregated instance list with
 * its `maxResults` / `nextPageToken` paging.
 */

const ZONES = ['europe-west1-b', 'europe-west3-a', 'us-central1-a']

t.test('gcp through google-auth-library and the googleapis clients', async (t) => {
  const sim = await startSimulator('gcp')
  t.teardown(() => sim.close())
  const control = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${sim.url}/__sim-oauth/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    t.ok(res.status < 300, `control ${path}`)
  }
  const clientId = 'fidelity.apps.googleusercontent.com'
  const clientSecret = 'GOCSPX-fidelity-secret'
  await control('POST', 'clients', { clientId, clientSecret })
  const servers = fleet(120, {
    id: (i) => String(5_000_000_000_000_000_000n + BigInt(i)),
    status: 'RUNNING',
    region: (i) => ZONES[i % 3] as string,
  })
  await control('PUT', 'user', {
    identity: { id: '108234567890123456789', email: 'ops@example.com', name: 'Ops' },
    servers,
  })
  const oauth = () =>
    new OAuth2Client({
      clientId,
      clientSecret,
      redirectUri: 'http://127.0.0.1:9/callback',
      endpoints: {
        oauth2AuthBaseUrl: `${sim.url}/o/oauth2/v2/auth`,
        oauth2TokenUrl: `${sim.url}/token`,
        tokenInfoUrl: `${sim.url}/tokeninfo`,
        oauth2RevokeUrl: `${sim.url}/revoke`,
      },
    })

  /** Consent (the simulator grants at once) and the code exchange, as the product does them. */
  async function signIn(client: OAuth2Client) {
    const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync()
    const url = client.generateAuthUrl({
      access_type: 'offline',
      prompt: 'consent',
      scope: [CLOUD_PLATFORM, 'openid', 'email'],
      code_challenge: codeChallenge as string,
      code_challenge_method: CodeChallengeMethod.S256,
      state: 'fidelity',
    })
    const consent = await fetch(url, { redirect: 'manual' })
    const back = new URL(consent.headers.get('location') ?? '')
    t.equal(back.searchParams.get('state'), 'fidelity')
    const code = back.searchParams.get('code') as string
    const { tokens } = await client.getToken({ code, codeVerifier })
    client.setCredentials(tokens)
    return tokens
  }

  t.test('code exchange, then tokeninfo names the Google account', async (t) => {
    const client = oauth()
    const tokens = await signIn(client)
    t.match(tokens, {
      access_token: /^ya29\./,
      refresh_token: /^1\/\//,
      token_type: 'Bearer',
      expiry_date: Number,
    })
    const info = await client.getTokenInfo(tokens.access_token as string)
    t.equal(info.sub, '108234567890123456789')
    t.equal(info.email, 'ops@example.com')
    t.ok(info.scopes.includes(CLOUD_PLATFORM))
    t.equal(info.aud, clientId)
    t.ok(info.expiry_date > Date.now())
  })

  t.test('a refresh keeps the refresh token and yields a working access token', async (t) => {
    const client = oauth()
    const first = await signIn(client)
    const fresh = oauth()
    fresh.setCredentials({ refresh_token: first.refresh_token as string })
    const { token } = await fresh.getAccessToken()
    t.match(token, /^ya29\./)
    t.not(token, first.access_token)
    const info = await fresh.getTokenInfo(token as string)
    t.equal(info.sub, '108234567890123456789')
  })

  t.test('projects, then instances over three pages by nextPageToken', async (t) => {
    const client = oauth()
    await signIn(client)
    const crm = cloudresourcemanager({ version: 'v1', auth: client, rootUrl: `${sim.url}/` })
    const { data: projects } = await crm.projects.list({ pageSize: 100 })
    t.match(projects.projects, [{ projectId: GCP_SIM_PROJECT.projectId, lifecycleState: 'ACTIVE' }])

    sim.clearRequests()
    const gce = compute({ version: 'v1', auth: client, rootUrl: `${sim.url}/` })
    const seen: string[] = []
    let pageToken: string | undefined
    let pages = 0
    do {
      const { data } = await gce.instances.aggregatedList({
        project: GCP_SIM_PROJECT.projectId,
        maxResults: 50,
        ...(pageToken ? { pageToken } : {}),
      })
      pages++
      t.same(
        Object.keys(data.items ?? {}).sort(),
        ZONES.concat('asia-east1-a')
          .map((z) => `zones/${z}`)
          .sort(),
      )
      for (const scoped of Object.values(data.items ?? {}))
        for (const i of scoped.instances ?? []) seen.push(String(i.id))
      pageToken = data.nextPageToken ?? undefined
    } while (pageToken)
    t.equal(pages, 3)
    t.same(seen.sort(), servers.map((s) => s.providerServerId).sort())
    const path = `/compute/v1/projects/${GCP_SIM_PROJECT.projectId}/aggregated/instances`
    t.equal(requestsTo(sim, path).length, 3)
  })

  t.test('a bad token: tokeninfo 400 invalid_token, Compute 401 UNAUTHENTICATED', async (t) => {
    const client = oauth()
    const info = await client.getTokenInfo(`ya29.${'x'.repeat(150)}`).then(
      () => null,
      (e: unknown) => e,
    )
    t.match(info, { status: 400, response: { data: { error: 'invalid_token' } } })
    client.setCredentials({
      access_token: `ya29.${'x'.repeat(150)}`,
      expiry_date: Date.now() + 3_600_000,
    })
    const gce = compute({ version: 'v1', auth: client, rootUrl: `${sim.url}/` })
    const err = await gce.instances.aggregatedList({ project: GCP_SIM_PROJECT.projectId }).then(
      () => null,
      (e: unknown) => e,
    )
    t.match(err, {
      status: 401,
      response: { data: { error: { code: 401, status: 'UNAUTHENTICATED' } } },
    })
  })
})
