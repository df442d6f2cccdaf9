import t from 'tap'
import { build } from './helper.js'
import { team } from './support/fixtures.js'
import { simulators } from './support/sims.js'

/**
 * A whole session with canary credentials, then every response body, every log line and the
 * database's text are searched for them. A secret may leave only towards its provider.
 */
t.test('no credential leaks anywhere', async (t) => {
  const { config, sim } = await simulators(t, [
    'hetzner-cloud',
    'digitalocean',
    'vultr',
    'linode',
    'aws',
  ])
  const { app, logs } = await build(t, { config: { ...config, LOG_LEVEL: 'trace' } })
  const { workspaceId, owner, member, outsider } = await team(app)
  const url = `/api/v1/workspaces/${workspaceId}/cloud-accounts`
  const bodies: string[] = []
  const call = async (opts: Parameters<typeof app.inject>[0]) => {
    const res = await app.inject(opts)
    bodies.push(res.body, JSON.stringify(res.headers))
    return res
  }
  const canaries: string[] = []
  const issue = (
    id: Parameters<typeof sim>[0],
    opts?: Parameters<ReturnType<typeof sim>['issueCredential']>[0],
  ) => {
    const creds = sim(id).issueCredential(opts)
    canaries.push(...Object.values(creds))
    return creds
  }

  const a = (
    await call({
      method: 'POST',
      url,
      headers: owner.headers,
      payload: { provider: 'digitalocean', label: 'canary', credentials: issue('digitalocean') },
    })
  ).json()
  await call({
    method: 'POST',
    url,
    headers: owner.headers,
    payload: { provider: 'linode', label: 'canary2', credentials: issue('linode') },
  })
  const revoked = issue('vultr')
  sim('vultr').revoke(revoked)
  await call({
    method: 'POST',
    url,
    headers: owner.headers,
    payload: { provider: 'vultr', label: 'bad', credentials: revoked },
  })
  await call({
    method: 'POST',
    url,
    headers: owner.headers,
    payload: {
      provider: 'hetzner-cloud',
      label: 'bad format',
      credentials: { token: `${issue('hetzner-cloud').token}!` },
    },
  })
  await call({
    method: 'POST',
    url,
    headers: owner.headers,
    payload: {
      provider: 'linode',
      label: 'unknown field',
      credentials: { token: issue('linode').token, other: 'x' },
    },
  })
  sim('hetzner-cloud').fault({ kind: 'status', status: 500 })
  await call({
    method: 'POST',
    url,
    headers: owner.headers,
    payload: { provider: 'hetzner-cloud', label: 'down', credentials: issue('hetzner-cloud') },
  })
  sim('hetzner-cloud').fault(null)
  const badReconnect = issue('digitalocean')
  sim('digitalocean').revoke(badReconnect)
  await call({
    method: 'PUT',
    url: `${url}/${a.id}/credentials`,
    headers: owner.headers,
    payload: { credentials: badReconnect },
  })
  await call({
    method: 'PUT',
    url: `${url}/${a.id}/credentials`,
    headers: owner.headers,
    payload: { credentials: issue('digitalocean') },
  })
  await call({ method: 'POST', url: `${url}/${a.id}/recheck`, headers: owner.headers })
  await call({ url, headers: member.headers })
  await call({ url: `${url}/${a.id}`, headers: member.headers })
  await call({ url: `${url}/${a.id}/servers`, headers: member.headers })
  await call({ url: `${url}/${a.id}/checks`, headers: member.headers })
  await call({ url: `/api/v1/workspaces/${workspaceId}/audit`, headers: owner.headers })
  await call({ method: 'DELETE', url: `${url}/${a.id}`, headers: owner.headers })

  // Invitations: every token minted in the session, used every way the API and the SPA allow.
  // A token may appear in its creation answer (and the link mailed or copied from there), nowhere
  // else: the request log sees it in every URL below.
  const invitationTokens: string[] = []
  const mint = async (email: string, role = 'member') => {
    const res = await call({
      method: 'POST',
      url: `/api/v1/workspaces/${workspaceId}/invitations`,
      headers: owner.headers,
      payload: { email, role },
    })
    const token = (res.json() as { token: string }).token
    invitationTokens.push(token)
    return token
  }
  const accept = (token: string, payload: object, headers = {}) =>
    call({ method: 'POST', url: `/api/v1/invitations/${token}/accept`, headers, payload })
  const fresh = await mint('canary-newcomer@example.test')
  await call({ url: `/invite/${fresh}` })
  await call({ url: `/invite/${fresh}?from=mail` })
  await call({ url: `/api/v1/invitations/${fresh}` })
  await accept(fresh, { name: 'Canary', password: 'short' })
  await accept(fresh, { name: 'Canary', password: 'a long enough password' })
  await accept(fresh, { name: 'Canary', password: 'a long enough password' })
  await call({ url: `/api/v1/invitations/${fresh}` })
  const forOutsider = await mint(outsider.user.email, 'owner')
  await accept(forOutsider, { name: 'Impostor', password: 'a long enough password' })
  await accept(forOutsider, {}, member.headers)
  await accept(forOutsider, {}, outsider.headers)
  const pending = await mint('canary-pending@example.test')
  await call({ url: `/api/v1/invitations/${pending}` })
  await accept(pending, { unknown: 'field' })

  // API tokens: minted, used through both headers (reads, a write, a refused call), revoked,
  // then presented again. A token may appear in its creation answer only.
  const apiTokens: string[] = []
  const creations = new Set<string>()
  const tokensUrl = `/api/v1/workspaces/${workspaceId}/api-tokens`
  for (const scopes of [['accounts:read', 'accounts:manage'], ['accounts:read']]) {
    const res = await call({
      method: 'POST',
      url: tokensUrl,
      headers: owner.headers,
      payload: { name: 'canary token', scopes },
    })
    apiTokens.push((res.json() as { token: string }).token)
    creations.add(res.body)
  }
  const [manager = '', reader = ''] = apiTokens
  const b = (await call({ url, headers: { authorization: `Bearer ${manager}` } })).json() as {
    items: { id: string }[]
  }
  await call({ url, headers: { 'x-cloudlink-token': reader } })
  await call({ url: `/api/v1/me`, headers: { 'x-cloudlink-token': reader } })
  await call({
    url: `/api/v1/workspaces/${workspaceId}/members`,
    headers: { authorization: `Bearer ${reader}` },
  })
  const remaining = b.items[0]?.id ?? a.id
  await call({
    method: 'PATCH',
    url: `${url}/${remaining}`,
    headers: { authorization: `Bearer ${manager}` },
    payload: { description: 'changed by a token' },
  })
  await call({
    method: 'POST',
    url: `${url}/${remaining}/recheck`,
    headers: { 'x-cloudlink-token': reader },
  })
  // The broker: a token that uses accounts it never sees the secrets of, through the proxy (a
  // read, a write with a body, a refusal, a provider's 401) and a short-lived AWS session.
  const user = await call({
    method: 'POST',
    url: tokensUrl,
    headers: owner.headers,
    payload: { name: 'canary broker', scopes: ['accounts:use'] },
  })
  const broker = (user.json() as { token: string }).token
  apiTokens.push(broker)
  creations.add(user.body)
  const proxy = `${url}/${remaining}/proxy`
  await call({ url: `${proxy}/v2/account`, headers: { authorization: `Bearer ${broker}` } })
  await call({ url: `${proxy}/v4/profile`, headers: { authorization: `Bearer ${broker}` } })
  await call({
    method: 'POST',
    url: `${proxy}/v2/droplets`,
    headers: { 'x-cloudlink-token': broker, 'content-type': 'application/json' },
    payload: '{"name":"canary-droplet"}',
  })
  await call({
    url: `${proxy}/v2/account`,
    headers: { authorization: `Bearer ${broker}`, 'x-cloudlink-origin': 'elsewhere' },
  })
  const awsKey = issue('aws')
  const awsAccount = (
    await call({
      method: 'POST',
      url,
      headers: owner.headers,
      payload: { provider: 'aws', label: 'canary aws', credentials: awsKey },
    })
  ).json() as { id: string }
  const session = await call({
    method: 'POST',
    url: `${url}/${awsAccount.id}/session`,
    headers: { authorization: `Bearer ${broker}` },
  })
  t.equal(session.statusCode, 200, 'a session was minted')
  await call({
    method: 'POST',
    url: `${url}/${awsAccount.id}/proxy/`,
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=${broker}/20250101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: 'Action=DescribeInstances&Version=2016-11-15',
  })
  sim('aws').revoke(awsKey)
  await call({
    method: 'POST',
    url: `${url}/${awsAccount.id}/proxy/`,
    headers: { 'x-cloudlink-token': broker, 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'Action=DescribeInstances&Version=2016-11-15',
  })
  const brokerCalls = await call({
    url: `/api/v1/workspaces/${workspaceId}/broker-calls`,
    headers: owner.headers,
  })
  t.ok(
    (brokerCalls.json() as { items: { status: number }[] }).items.filter((c) => c.status === 200)
      .length >= 2,
    'the broker really reached the providers',
  )
  const listed = (await call({ url: tokensUrl, headers: owner.headers })).json() as {
    items: { id: string }[]
  }
  for (const { id } of listed.items)
    await call({ method: 'DELETE', url: `${tokensUrl}/${id}`, headers: owner.headers })
  await call({ url, headers: { authorization: `Bearer ${manager}` } })
  await call({ url, headers: { 'x-cloudlink-token': `${reader}!` } })
  await app.tokenUsage.settled()

  t.ok(canaries.length >= 8)
  const db = app.orm.em.fork().getConnection()
  const tables = await db.execute<{ table_name: string }[]>(
    `select table_name from information_schema.tables where table_schema = 'public'`,
  )
  let dbText = ''
  for (const { table_name } of tables) {
    const rows = await db.execute<{ row: string }[]>(`select t::text as row from "${table_name}" t`)
    dbText += rows.map((r) => r.row).join('\n')
  }
  t.ok(dbText.includes('canary'), 'the database text was really read')
  t.ok(logs.length > 20, 'the logs were really captured')

  const logText = logs.join('\n')
  for (const url of ['/invite/[redacted]', '/api/v1/invitations/[redacted]/accept'])
    t.ok(logText.includes(`"url":"${url}`), `the request log really saw ${url}`)

  const haystacks = { responses: bodies.join('\n'), logs: logText, database: dbText }
  for (const [where, text] of Object.entries(haystacks)) {
    const hits = canaries.filter((secret) => text.includes(secret))
    t.same(hits, [], `no secret in ${where}`)
  }
  t.equal(apiTokens.length, 3, 'every API token was minted')
  t.ok(dbText.includes('canary token'), 'the token rows were really read')
  t.ok(dbText.includes('token.revoke'), 'so was the audit trail')
  for (const where of ['logs', 'database'] as const) {
    const hits = apiTokens.filter((token) => haystacks[where].includes(token.slice(4)))
    t.same(hits, [], `no API token in ${where}`)
  }
  // Only the creation answers carry them: nothing after that echoes a token back.
  const later = bodies.filter((body) => !creations.has(body))
  t.same(
    apiTokens.filter((token) => later.join('\n').includes(token)),
    [],
    'no API token in other answers',
  )
  t.equal(invitationTokens.length, 3, 'every invitation was minted')
  for (const where of ['logs', 'database'] as const) {
    const hits = invitationTokens.filter((token) => haystacks[where].includes(token))
    t.same(hits, [], `no invitation token in ${where}`)
  }
})
