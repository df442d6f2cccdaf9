import t from 'tap'
import { build } from './helper.js'
import { team } from './support/fixtures.js'
import { simulators } from './support/sims.js'

/**
 * A whole session with canary credentials, then every response body, every log line and the
 * database's text are searched for them. A secret may leave only towards its provider.
 */
t.test('no credential leaks anywhere', async (t) => {
  const { config, sim } = await simulators(t, ['hetzner-cloud', 'digitalocean', 'vultr', 'linode'])
  const { app, logs } = await build(t, { config: { ...config, LOG_LEVEL: 'trace' } })
  const { workspaceId, owner, member } = await team(app)
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

  const haystacks = { responses: bodies.join('\n'), logs: logs.join('\n'), database: dbText }
  for (const [where, text] of Object.entries(haystacks)) {
    const hits = canaries.filter((secret) => text.includes(secret))
    t.same(hits, [], `no secret in ${where}`)
  }
})
