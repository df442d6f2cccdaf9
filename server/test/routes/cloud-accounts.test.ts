import t from 'tap'
import type { FastifyInstance } from 'fastify'
import type { ProviderId } from '@cloudlink/shared'
import { build } from '../helper.js'
import { team, type Session } from '../support/fixtures.js'
import { simulators } from '../support/sims.js'

const FIRST_FOUR: ProviderId[] = ['hetzner-cloud', 'digitalocean', 'vultr', 'linode']

async function counts(app: FastifyInstance) {
  const rows = await app.orm.em
    .fork()
    .getConnection()
    .execute<{ accounts: number; servers: number; checks: number }[]>(
      `select (select count(*)::int from cloud_accounts) as accounts, (select count(*)::int from servers) as servers,
              (select count(*)::int from checks) as checks`,
    )
  return rows[0]
}

t.test('cloud account lifecycle', async (t) => {
  const { config, sim } = await simulators(t, FIRST_FOUR)
  const { app } = await build(t, { config })
  const { workspaceId, owner, member } = await team(app)
  const url = `/api/v1/workspaces/${workspaceId}/cloud-accounts`
  const connect = (who: Session, payload: object) =>
    app.inject({ method: 'POST', url, headers: who.headers, payload })

  for (const provider of FIRST_FOUR) {
    t.test(`${provider}: connect, hint, identity, servers`, async (t) => {
      const credentials = sim(provider).issueCredential()
      const res = await connect(owner, { provider, label: `${provider} prod`, credentials })
      t.equal(res.statusCode, 201, res.body)
      const account = res.json()
      t.equal(account.status, 'connected')
      t.equal(account.serverCount, 2)
      t.equal(account.isDefault, true, 'the first account of a provider is the default')
      t.match(account.hint, /••••/)
      for (const secret of Object.values(credentials))
        t.notOk(res.body.includes(secret), 'secret never echoed')
      if (provider !== 'hetzner-cloud')
        t.ok(account.identity && Object.keys(account.identity).length > 0)
      else t.equal(account.identity, null, 'Hetzner Cloud has no whoami')
      t.equal(account.lastCheck.outcome, 'ok')
      const servers = await app.inject({
        url: `${url}/${account.id}/servers`,
        headers: member.headers,
      })
      t.equal(servers.statusCode, 200)
      t.equal(servers.json().items.length, 2)
      const checks = await app.inject({
        url: `${url}/${account.id}/checks`,
        headers: member.headers,
      })
      t.match(checks.json().items, [{ trigger: 'connect', outcome: 'ok' }])
    })
  }

  t.test('refusals store nothing', async (t) => {
    const before = await counts(app)
    const revoked = sim('digitalocean').issueCredential()
    sim('digitalocean').revoke(revoked)
    const rejected = await connect(owner, {
      provider: 'digitalocean',
      label: 'x',
      credentials: revoked,
    })
    t.equal(rejected.statusCode, 422)
    t.equal(rejected.json().code, 'PROVIDER_REJECTED')
    t.equal(rejected.json().details.providerStatus, 401)
    t.match(rejected.json().details.reason, /DigitalOcean/)

    const good = sim('vultr').issueCredential()
    sim('vultr').fault({ kind: 'status', status: 503 })
    const down = await connect(owner, { provider: 'vultr', label: 'x', credentials: good })
    sim('vultr').fault(null)
    t.equal(down.statusCode, 502)
    t.equal(down.json().code, 'PROVIDER_UNREACHABLE')
    t.equal(down.json().details.reason, 'server_error')

    const malformed = await connect(owner, {
      provider: 'linode',
      label: 'x',
      credentials: { token: 'nope' },
    })
    t.equal(malformed.statusCode, 400)
    t.match(malformed.json().details, [{ field: 'credentials.token' }])

    const byMember = await connect(member, { provider: 'vultr', label: 'x', credentials: good })
    t.equal(byMember.statusCode, 403)
    t.same(await counts(app), before, 'no account, server or check row was written')
  })

  t.test('the same credential twice → 409 naming the existing label', async (t) => {
    const credentials = sim('linode').issueCredential()
    t.equal(
      (await connect(owner, { provider: 'linode', label: 'first', credentials })).statusCode,
      201,
    )
    const again = await connect(owner, { provider: 'linode', label: 'second', credentials })
    t.equal(again.statusCode, 409)
    t.equal(again.json().code, 'CONFLICT')
    t.match(again.json().message, /"first"/)
  })

  t.test('edit, default uniqueness, filters', async (t) => {
    const a = (
      await connect(owner, {
        provider: 'hetzner-cloud',
        label: 'a',
        credentials: sim('hetzner-cloud').issueCredential(),
      })
    ).json()
    const b = (
      await connect(owner, {
        provider: 'hetzner-cloud',
        label: 'b',
        credentials: sim('hetzner-cloud').issueCredential(),
      })
    ).json()
    t.equal(b.isDefault, false)
    const patched = await app.inject({
      method: 'PATCH',
      url: `${url}/${b.id}`,
      headers: owner.headers,
      payload: { isDefault: true, label: 'b2', description: 'staging' },
    })
    t.equal(patched.statusCode, 200)
    t.match(patched.json(), { isDefault: true, label: 'b2', description: 'staging' })
    const list = (
      await app.inject({ url: `${url}?provider=hetzner-cloud`, headers: member.headers })
    ).json().items
    t.equal(
      list.filter((x: { isDefault: boolean }) => x.isDefault).length,
      1,
      'one default per provider',
    )
    t.ok(list.find((x: { id: string }) => x.id === a.id))
    const empty = await app.inject({
      method: 'PATCH',
      url: `${url}/${b.id}`,
      headers: owner.headers,
      payload: {},
    })
    t.equal(empty.statusCode, 400)
  })

  t.test('recheck flips on rejection only, and back on success', async (t) => {
    const credentials = sim('vultr').issueCredential()
    const account = (await connect(owner, { provider: 'vultr', label: 'rc', credentials })).json()
    const recheck = () =>
      app.inject({ method: 'POST', url: `${url}/${account.id}/recheck`, headers: owner.headers })
    sim('vultr').fault({ kind: 'reset' })
    const hiccup = await recheck()
    sim('vultr').fault(null)
    t.equal(hiccup.statusCode, 200)
    t.equal(hiccup.json().status, 'connected', 'a network hiccup never flips')
    t.equal(hiccup.json().lastCheck.outcome, 'unreachable')
    sim('vultr').revoke(credentials)
    const revoked = await recheck()
    t.equal(revoked.json().status, 'needs_attention')
    t.match(revoked.json().statusReason, /Vultr/)
    sim('vultr').restore(credentials)
    const back = await recheck()
    t.equal(back.json().status, 'connected')
    t.equal(back.json().statusReason, null)
  })

  t.test('a failed reconnect keeps the old credential in use', async (t) => {
    const old = sim('digitalocean').issueCredential()
    const account = (
      await connect(owner, { provider: 'digitalocean', label: 'rk', credentials: old })
    ).json()
    const bad = sim('digitalocean').issueCredential()
    sim('digitalocean').revoke(bad)
    const put = (credentials: object, extra: object = {}) =>
      app.inject({
        method: 'PUT',
        url: `${url}/${account.id}/credentials`,
        headers: owner.headers,
        payload: { credentials, ...extra },
      })
    t.equal((await put(bad)).statusCode, 422)
    sim('digitalocean').clearRequests()
    const rc = await app.inject({
      method: 'POST',
      url: `${url}/${account.id}/recheck`,
      headers: owner.headers,
    })
    t.equal(rc.json().status, 'connected')
    t.ok(
      sim('digitalocean').requests.every((r) => r.credential === old.token),
      'the next check used the old token',
    )

    const other = sim('digitalocean').issueCredential({
      identity: { id: 'another-account-uuid', email: 'else@example.test' },
    })
    const mismatch = await put(other)
    t.equal(mismatch.statusCode, 409)
    t.equal(mismatch.json().code, 'ACCOUNT_MISMATCH')
    const switched = await put(other, { allowAccountChange: true })
    t.equal(switched.statusCode, 200)
    t.equal(switched.json().identity.id, 'another-account-uuid')

    const fresh = sim('digitalocean').issueCredential({ identity: { id: 'another-account-uuid' } })
    const fresh2 = sim('digitalocean').issueCredential({ identity: { id: 'another-account-uuid' } })
    const [r1, r2] = await Promise.all([put(fresh), put(fresh2)])
    t.same([r1.statusCode, r2.statusCode], [200, 200], 'concurrent reconnects both succeed in turn')
    const after = (await app.inject({ url: `${url}/${account.id}`, headers: owner.headers })).json()
    t.ok(
      [r1.json().hint, r2.json().hint].includes(after.hint),
      'the stored credential is one of the two, whole',
    )
  })

  t.test('remove keeps the servers, unlinked', async (t) => {
    const account = (
      await connect(owner, {
        provider: 'linode',
        label: 'rm',
        credentials: sim('linode').issueCredential(),
      })
    ).json()
    const del = await app.inject({
      method: 'DELETE',
      url: `${url}/${account.id}`,
      headers: owner.headers,
    })
    t.equal(del.statusCode, 204)
    t.equal(
      (await app.inject({ url: `${url}/${account.id}`, headers: owner.headers })).statusCode,
      404,
    )
    const rows = await app.orm.em
      .fork()
      .getConnection()
      .execute<{ n: number }[]>(
        `select count(*)::int as n from servers where workspace_id = ? and account_id is null`,
        [workspaceId],
      )
    t.ok((rows[0]?.n ?? 0) >= 2, 'servers outlive the account')
    const audit = (
      await app.inject({ url: `/api/v1/workspaces/${workspaceId}/audit`, headers: owner.headers })
    ).json()
    t.match(audit.items[0], {
      action: 'account.remove',
      outcome: 'success',
      provider: 'linode',
      accountId: account.id,
    })
    t.ok(
      audit.items.some(
        (e: { action: string; outcome: string }) =>
          e.action === 'account.connect' && e.outcome === 'rejected',
      ),
      'rejected attempts are audited',
    )
  })
})

t.test('simultaneous first connects: both succeed, exactly one default', async (t) => {
  const { config, sim } = await simulators(t, ['vultr'])
  const { app } = await build(t, { config })
  const { workspaceId, owner } = await team(app)
  const url = `/api/v1/workspaces/${workspaceId}/cloud-accounts`
  const results = await Promise.all(
    [1, 2, 3].map((i) =>
      app.inject({
        method: 'POST',
        url,
        headers: owner.headers,
        payload: { provider: 'vultr', label: `v${i}`, credentials: sim('vultr').issueCredential() },
      }),
    ),
  )
  t.same(
    results.map((r) => r.statusCode),
    [201, 201, 201],
  )
  t.equal(results.filter((r) => r.json().isDefault).length, 1)
})

t.test(
  'manual rechecks are limited per account and caller, counted in the right workspace',
  async (t) => {
    const { config, sim } = await simulators(t, ['vultr'])
    const { app } = await build(t, { config })
    const { workspaceId, owner, member, outsider } = await team(app)
    const url = `/api/v1/workspaces/${workspaceId}/cloud-accounts`
    const created = await app.inject({
      method: 'POST',
      url,
      headers: owner.headers,
      payload: { provider: 'vultr', label: 'limited', credentials: sim('vultr').issueCredential() },
    })
    const accountId = created.json().id as string
    const recheck = (who: Session, base = url) =>
      app.inject({ method: 'POST', url: `${base}/${accountId}/recheck`, headers: who.headers })

    // The outsider owns a workspace of its own and aims at this account through it.
    const me = await app.inject({ url: '/api/v1/me', headers: outsider.headers })
    const elsewhere = `/api/v1/workspaces/${me.json().workspaces[0].id}/cloud-accounts`
    const probes = []
    for (let i = 0; i < 10; i++) probes.push((await recheck(outsider, elsewhere)).statusCode)
    t.same(new Set(probes), new Set([404]), 'the account is not found there')

    const statuses = []
    for (let i = 0; i < 7; i++) statuses.push((await recheck(owner)).statusCode)
    t.same(statuses.slice(0, 6), [200, 200, 200, 200, 200, 200], 'the outsider spent none of it')
    t.equal(statuses[6], 429, 'the seventh within a minute is refused')
    const limited = await recheck(owner)
    t.equal(limited.json().code, 'RATE_LIMITED')
    t.ok(Number(limited.headers['retry-after']) > 0, 'with Retry-After')

    await app.inject({
      method: 'PATCH',
      url: `/api/v1/workspaces/${workspaceId}/members/${member.user.id}`,
      headers: owner.headers,
      payload: { role: 'owner' },
    })
    t.equal((await recheck(member)).statusCode, 200, 'another owner has a budget of their own')
  },
)
