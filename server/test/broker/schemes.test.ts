import { Readable } from 'node:stream'
import t, { type Test } from 'tap'
import type { Simulator } from '@cloudlink/e2e/simulators'
import type { ProviderId } from '@cloudlink/shared'
import { brokerApp, call, connect } from './support.js'

/**
 * Per scheme: the broker applies the stored credential (the simulator's request log names it and
 * the simulator's own verification accepts it), and none of the caller's credentials get through.
 */

const ids: ProviderId[] = [
  'hetzner-cloud',
  'vultr',
  'linode',
  'hostinger',
  'cloudflare',
  'digitalocean',
  'hetzner-robot',
  'upcloud',
  'scaleway',
  'aws',
  'ovh-eu',
  'transip',
]
const { app, sim, broker, team } = await brokerApp(t, ids)

/** What a platform might send along: its own token, cookies and every provider auth header. */
const CALLER = {
  authorization: 'Bearer caller-own-token',
  cookie: 'session=caller',
  'x-auth-token': 'caller-scaleway',
  'x-amz-security-token': 'caller-session',
  'x-amz-date': '20200101T000000Z',
  'x-ovh-consumer': 'caller-consumer',
  'x-ovh-signature': '$1$caller',
  'x-cloudlink-token': 'clk_callercallercallercallercallercallercaller',
  'x-custom-header': 'kept',
}

function lastRequest(s: Simulator, path: string) {
  const hit = s.requests.filter((r) => r.path.split('?')[0] === path).at(-1)
  if (!hit) throw new Error(`${s.id}: no request to ${path}`)
  return hit
}

function noCallerCredential(tt: Test, headers: Record<string, string>) {
  const text = JSON.stringify(headers)
  for (const value of ['caller-own-token', 'session=caller', 'caller-scaleway', 'caller-session'])
    tt.notMatch(text, value, `the caller's ${value} never reaches the provider`)
  tt.notOk(headers['x-cloudlink-token'], 'no Cloudlink token either')
  tt.notOk(headers.cookie, 'no cookie')
  tt.equal(headers['x-custom-header'], 'kept', 'other headers pass')
}

const bearer: [ProviderId, string, (c: Record<string, string>) => string][] = [
  ['hetzner-cloud', '/v1/servers', (c) => c.token!],
  ['vultr', '/v2/account', (c) => c.apiKey!],
  ['linode', '/v4/profile', (c) => c.token!],
  ['hostinger', '/api/vps/v1/virtual-machines', (c) => c.token!],
  ['cloudflare', '/client/v4/zones', (c) => c.token!],
  ['digitalocean', '/v2/account', (c) => c.token!],
]

for (const [id, path, secret] of bearer)
  t.test(`${id}: Bearer with the stored token`, async (t) => {
    const credentials = sim(id).issueCredential()
    const accountId = await connect(app, team, id, credentials)
    const res = await call(
      app,
      broker,
      { workspaceId: team.workspaceId, accountId },
      {
        path,
        headers: CALLER,
      },
    )
    t.equal(res.status, 200, res.text.slice(0, 200))
    t.equal(res.headers['x-cloudlink-proxied'], '1')
    const seen = lastRequest(sim(id), path)
    t.equal(seen.credential, secret(credentials), 'the simulator saw the stored token')
    t.equal(seen.headers.authorization, `Bearer ${secret(credentials)}`)
    noCallerCredential(t, seen.headers)
  })

t.test('hetzner-robot: Basic with the web-service user', async (t) => {
  const credentials = sim('hetzner-robot').issueCredential()
  const accountId = await connect(app, team, 'hetzner-robot', credentials)
  const res = await call(
    app,
    broker,
    { workspaceId: team.workspaceId, accountId },
    {
      path: '/server',
      headers: CALLER,
    },
  )
  t.equal(res.status, 200, res.text.slice(0, 200))
  const seen = lastRequest(sim('hetzner-robot'), '/server')
  t.equal(seen.credential, `${credentials.username}:${credentials.password}`)
  noCallerCredential(t, seen.headers)
})

t.test('upcloud: Bearer for a token, Basic for username and password', async (t) => {
  const token = sim('upcloud').issueCredential()
  const login: Record<string, string> = {
    username: `user${Date.now()}`,
    password: 'a-long-password-1234',
  }
  sim('upcloud').registerCredential(login)
  for (const credentials of [token, login]) {
    const accountId = await connect(app, team, 'upcloud', credentials)
    const res = await call(
      app,
      broker,
      { workspaceId: team.workspaceId, accountId },
      {
        path: '/1.3/account',
        headers: CALLER,
      },
    )
    t.equal(res.status, 200, res.text.slice(0, 200))
    const seen = lastRequest(sim('upcloud'), '/1.3/account')
    t.equal(
      seen.credential,
      credentials.token ?? `${credentials.username}:${credentials.password}`,
      'the stored credential',
    )
    noCallerCredential(t, seen.headers)
  }
})

t.test('scaleway: X-Auth-Token with the secret key', async (t) => {
  const credentials = sim('scaleway').issueCredential()
  const accountId = await connect(app, team, 'scaleway', credentials)
  const path = '/instance/v1/zones/fr-par-1/servers'
  const res = await call(
    app,
    broker,
    { workspaceId: team.workspaceId, accountId },
    {
      path,
      headers: CALLER,
    },
  )
  t.equal(res.status, 200, res.text.slice(0, 200))
  const seen = lastRequest(sim('scaleway'), path)
  t.equal(seen.headers['x-auth-token'], credentials.secretKey)
  noCallerCredential(t, seen.headers)
})

t.test(
  'aws: re-signed with the stored key for the service and region the caller signed for',
  async (t) => {
    const credentials = sim('aws').issueCredential({
      servers: [
        {
          providerServerId: 'i-0eu',
          name: 'eu',
          status: 'running',
          region: 'eu-west-1a',
          ipv4: null,
        },
        {
          providerServerId: 'i-0us',
          name: 'us',
          status: 'running',
          region: 'us-east-1a',
          ipv4: null,
        },
      ],
    })
    const accountId = await connect(app, team, 'aws', credentials)
    const body = 'Action=DescribeInstances&Version=2016-11-15'
    const res = await call(
      app,
      broker,
      { workspaceId: team.workspaceId, accountId },
      {
        method: 'POST',
        headers: {
          ...CALLER,
          // What an SDK with a dummy key sends: its own signature, scoped to eu-west-1/ec2.
          authorization:
            'AWS4-HMAC-SHA256 Credential=AKIADUMMYDUMMYDUMMY1/20250101/eu-west-1/ec2/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000',
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          'content-length': String(body.length),
        },
        body: Readable.from([Buffer.from(body)]),
      },
    )
    t.equal(res.status, 200, res.text.slice(0, 300))
    t.match(res.text, /i-0eu/, 'answered for eu-west-1')
    t.notMatch(res.text, /i-0us/, 'and only eu-west-1')
    const seen = lastRequest(sim('aws'), '/')
    t.equal(seen.credential, credentials.accessKeyId, 'signed with the stored key')
    t.match(seen.headers.authorization, /\/eu-west-1\/ec2\/aws4_request/)
    t.notMatch(seen.headers.authorization ?? '', /AKIADUMMY/, "the caller's signature is gone")
    t.not(seen.headers['x-amz-date'], '20200101T000000Z', 'our own signing time')
    t.notOk(seen.headers['x-amz-security-token'], 'a long-lived key sends no session token')
    noCallerCredential(t, seen.headers)

    const sts = await call(
      app,
      broker,
      { workspaceId: team.workspaceId, accountId },
      {
        method: 'POST',
        headers: {
          'x-cloudlink-origin': 'sts',
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          'content-length': '43',
        },
        body: Readable.from([Buffer.from('Action=GetCallerIdentity&Version=2011-06-15')]),
      },
    )
    t.equal(sts.status, 200, sts.text.slice(0, 300))
    t.match(lastRequest(sim('aws'), '/').headers.authorization, /\/us-east-1\/sts\/aws4_request/)
  },
)

t.test('ovh-eu: signed over the forwarded URL and body on the API clock', async (t) => {
  const credentials = sim('ovh-eu').issueCredential()
  const accountId = await connect(app, team, 'ovh-eu', credentials)
  sim('ovh-eu').advanceClock(600) // the API's clock runs 10 minutes ahead of ours
  const me = await call(
    app,
    broker,
    { workspaceId: team.workspaceId, accountId },
    {
      path: '/1.0/me',
      headers: CALLER,
    },
  )
  t.equal(me.status, 200, me.text.slice(0, 200))
  const seen = lastRequest(sim('ovh-eu'), '/1.0/me')
  t.equal(seen.credential, credentials.applicationKey)
  t.equal(seen.headers['x-ovh-consumer'], credentials.consumerKey)
  noCallerCredential(t, seen.headers)

  const body = JSON.stringify({ type: 'hardware' })
  const post = await call(
    app,
    broker,
    { workspaceId: team.workspaceId, accountId },
    {
      method: 'POST',
      path: '/1.0/dedicated/server/ns1.example/reboot',
      query: 'dryRun=true',
      headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
      body: Readable.from([Buffer.from(body)]),
    },
  )
  t.not(post.status, 400, `the signature over URL and body holds (${post.text.slice(0, 120)})`)
  t.equal(lastRequest(sim('ovh-eu'), '/1.0/dedicated/server/ns1.example/reboot').body, body)
})

t.test('transip: an access token from the private key, reused until it expires', async (t) => {
  const credentials = sim('transip').issueCredential()
  const accountId = await connect(app, team, 'transip', credentials)
  sim('transip').clearRequests()
  for (let i = 0; i < 3; i++) {
    const res = await call(
      app,
      broker,
      { workspaceId: team.workspaceId, accountId },
      {
        path: '/v6/vps',
        headers: CALLER,
      },
    )
    t.equal(res.status, 200, res.text.slice(0, 200))
  }
  const auths = () => sim('transip').requests.filter((r) => r.path === '/v6/auth')
  t.equal(auths().length, 1, 'one token for three reads')
  t.match(JSON.parse(auths()[0]!.body), { login: credentials.login, read_only: true })
  const seen = lastRequest(sim('transip'), '/v6/vps')
  t.equal(seen.credential, credentials.login, 'the token was minted for the stored login')
  noCallerCredential(t, seen.headers)

  await call(
    app,
    broker,
    { workspaceId: team.workspaceId, accountId },
    {
      method: 'DELETE',
      path: '/v6/vps/example-vps',
    },
  )
  t.equal(auths().length, 2, 'a write gets a token of its own')
  t.match(JSON.parse(auths()[1]!.body), { read_only: false })
})
