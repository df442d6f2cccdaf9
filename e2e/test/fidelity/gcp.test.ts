import t from 'tap'
import { OAuth2Client, CodeChallengeMethod } from 'google-auth-library'
import { compute } from '@googleapis/compute'
import { cloudresourcemanager } from '@googleapis/cloudresourcemanager'
import { startSimulator } from '../../src/simulators/index.js'
import { GCP_SIM_PROJECT, CLOUD_PLATFORM } from '../../src/simulators/providers/gcp.js'
import { clientFor } from '../helpers/broker-clients.js'
import { fleet, requestsTo } from '../helpers/fidelity.js'

/**
 * Google Cloud through Google's own Node libraries: `google-auth-library` for the flow the product
 * uses (authorization code with PKCE, code exchange, refresh, tokeninfo introspection), and the
 * generated REST clients `@googleapis/cloudresourcemanager` and `@googleapis/compute` (the
 * googleapis packages, which take a `rootUrl`) for projects and the aggregated instance list with
 * its `maxResults` / `nextPageToken` paging, and for the write: instances.insert and delete, each
 * an Operation waited for with zoneOperations.wait.
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
  async function signIn(client: OAuth2Client, scope = [CLOUD_PLATFORM, 'openid', 'email']) {
    const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync()
    const url = client.generateAuthUrl({
      access_type: 'offline',
      prompt: 'consent',
      scope,
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

  t.test('an instance inserted and deleted, each operation waited for', async (t) => {
    const tokens = await signIn(oauth())
    const c = { token: tokens.access_token as string }
    const api = clientFor('gcp', { baseUrl: sim.url, credentials: c })
    const before = await api.list()
    t.equal(before.length, 120, 'the signed-in user’s instances')
    sim.clearRequests()
    t.equal(await api.create('cl-write-1'), 'cl-write-1')
    t.ok((await api.list()).includes('cl-write-1'), 'listed after the insert')
    await api.remove('cl-write-1')
    t.same((await api.list()).sort(), before.sort(), 'gone after the delete')
    const zone = `/compute/v1/projects/${GCP_SIM_PROJECT.projectId}/zones/europe-west1-b`
    const writes = sim.requests.filter((r) => r.method !== 'GET')
    t.match(
      writes.map((r) => [r.method, r.path, r.credential]),
      [
        ['POST', `${zone}/instances`, c.token],
        ['POST', new RegExp(`^${zone}/operations/operation-\\d+-\\d+/wait$`), c.token],
        ['DELETE', `${zone}/instances/cl-write-1`, c.token],
        ['POST', /\/wait$/, c.token],
      ],
    )
    t.match(JSON.parse(writes[0]!.body), { name: 'cl-write-1', machineType: /e2-small$/ })
  })

  t.test('the Operation and Instance as the client types them; conflicts, 404s', async (t) => {
    const client = oauth()
    await signIn(client)
    const gce = compute({ version: 'v1', auth: client, rootUrl: `${sim.url}/` })
    const project = GCP_SIM_PROJECT.projectId
    const zone = 'us-central1-a'
    const requestBody = {
      name: 'cl-write-2',
      machineType: `zones/${zone}/machineTypes/e2-micro`,
      disks: [
        {
          boot: true,
          initializeParams: { sourceImage: 'projects/debian-cloud/global/images/family/debian-12' },
        },
      ],
    }
    const { data: op } = await gce.instances.insert({ project, zone, requestBody })
    t.match(op, {
      kind: 'compute#operation',
      name: /^operation-/,
      operationType: 'insert',
      status: 'RUNNING',
      targetLink: /\/zones\/us-central1-a\/instances\/cl-write-2$/,
      targetId: /^\d+$/,
      zone: /\/zones\/us-central1-a$/,
    })
    const { data: done } = await gce.zoneOperations.get({ project, zone, operation: op.name! })
    t.match(done, { status: 'DONE', progress: 100, endTime: String })
    const { data: instance } = await gce.instances.get({ project, zone, instance: 'cl-write-2' })
    t.match(instance, { id: op.targetId, name: 'cl-write-2', status: 'RUNNING' })
    await t.rejects(gce.instances.insert({ project, zone, requestBody }), {
      status: 409,
      response: { data: { error: { errors: [{ reason: 'alreadyExists' }] } } },
    })
    await t.rejects(
      gce.instances.insert({ project, zone, requestBody: { ...requestBody, name: 'Bad_Name' } }),
      {
        status: 400,
      },
    )
    await gce.instances.delete({ project, zone, instance: 'cl-write-2' })
    await t.rejects(gce.instances.delete({ project, zone, instance: 'cl-write-2' }), {
      status: 404,
      response: { data: { error: { errors: [{ reason: 'notFound' }] } } },
    })
  })

  t.test('a grant of cloud-platform.read-only lists, and may not insert', async (t) => {
    const tokens = await signIn(oauth(), [`${CLOUD_PLATFORM}.read-only`, 'openid', 'email'])
    const api = clientFor('gcp', {
      baseUrl: sim.url,
      credentials: { token: tokens.access_token as string },
    })
    t.equal((await api.list()).length, 120)
    await t.rejects(api.create('cl-nope'), {
      status: 403,
      response: { data: { error: { details: [{ reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT' }] } } },
    })
  })

  t.test(
    'with a Cloudlink token: Resource Manager is asked for by its broker origin',
    async (t) => {
      sim.clearRequests()
      const api = clientFor('gcp', { baseUrl: sim.url, token: 'clk_fidelity' })
      // The simulator is no broker: it refuses the token, after logging what was sent.
      await t.rejects(api.list(), { status: 401 })
      t.match(sim.requests[0], {
        path: /^\/v1\/projects/,
        headers: { authorization: 'Bearer clk_fidelity', 'x-cloudlink-origin': 'crm' },
      })
    },
  )
})
