import t from 'tap'
import { build } from '../helper.js'
import { team } from '../support/fixtures.js'
import { simulators } from '../support/sims.js'
import { mutating } from './support.js'

/**
 * Access through the REST API, stored in PostgreSQL: learnt at connect, reconnect and every check;
 * a credential that cannot create stays connected with a warning; a probe without an answer keeps
 * the last access and the status.
 */
t.test('access at connect, recheck and reconnect', async (t) => {
  const { config, sim } = await simulators(t, ['vultr'])
  const { app } = await build(t, { config: { ...config, PROVIDER_TIMEOUT_MS: '800' } })
  const { workspaceId, owner } = await team(app)
  const url = `/api/v1/workspaces/${workspaceId}/cloud-accounts`
  const vultr = sim('vultr')
  const connect = (credentials: Record<string, string>, label: string) =>
    app.inject({
      method: 'POST',
      url,
      headers: owner.headers,
      payload: { provider: 'vultr', label, credentials },
    })

  const full = await connect(vultr.issueCredential(), 'full')
  t.equal(full.statusCode, 201, full.body)
  const fullAccount = full.json()
  t.same(
    ['compute', 'dns', 'storage'].map((c) => fullAccount.access[c].level),
    ['write', 'write', 'write'],
    'a full key may create everything',
  )
  t.same(fullAccount.warnings, [])

  vultr.clearRequests()
  const roKey = vultr.issueCredential({ access: { compute: 'read', dns: 'none', storage: 'none' } })
  const readOnly = await connect(roKey, 'read-only')
  t.equal(readOnly.statusCode, 201, readOnly.body)
  const account = readOnly.json()
  t.equal(account.status, 'connected', 'a working key that cannot create stays connected')
  t.equal(account.access.compute.level, 'read')
  t.same(account.access.compute.missing, ['subscriptions', 'provisioning'])
  t.match(account.access.compute.evidence, /GET \/v2\/account → acls/)
  t.equal(account.access.dns.level, 'none')
  const warning = account.warnings.find((w: string) => /cannot create servers/.test(w))
  t.match(
    warning,
    /add subscriptions, provisioning at https:\/\/my\.vultr\.com\/settings\/#settingsapi/,
  )
  t.same(mutating(vultr.requests), [], 'connect sent no mutating request')

  // The list (and its cache) shows the stored access.
  const listed = (await app.inject({ url, headers: owner.headers })).json().items
  t.same(listed.find((a: { id: string }) => a.id === account.id).access, account.access)

  // The provider's answer changes: the next check learns it, and the list is not served stale.
  vultr.registerCredential(roKey, { access: {} })
  const rechecked = await app.inject({
    method: 'POST',
    url: `${url}/${account.id}/recheck`,
    headers: owner.headers,
  })
  t.equal(rechecked.statusCode, 200, rechecked.body)
  const after = (await app.inject({ url, headers: owner.headers }))
    .json()
    .items.find((a: { id: string }) => a.id === account.id)
  t.equal(after.access.compute.level, 'write', 'the recheck learnt the new ACLs')
  t.same(after.warnings, [], 'and the warning is gone')

  // A reconnect is about the new credential only: nothing of the old one's access carries over.
  const narrower = vultr.issueCredential({
    access: { compute: 'none', dns: 'write', storage: 'none' },
  })
  const reconnected = await app.inject({
    method: 'PUT',
    url: `${url}/${account.id}/credentials`,
    headers: owner.headers,
    payload: { credentials: narrower, allowAccountChange: true },
  })
  t.equal(reconnected.statusCode, 200, reconnected.body)
  const now = reconnected.json()
  t.same(
    [now.access.compute.level, now.access.dns.level, now.access.storage.level],
    ['none', 'write', 'none'],
  )
  t.same(now.access.compute.missing, ['subscriptions', 'provisioning'])
  t.equal(now.status, 'connected')
})

t.test('a probe that gets no answer keeps the last access and the status', async (t) => {
  const { config, sim } = await simulators(t, ['vultr'])
  const { app } = await build(t, { config: { ...config, PROVIDER_TIMEOUT_MS: '600' } })
  const { workspaceId, owner } = await team(app)
  const url = `/api/v1/workspaces/${workspaceId}/cloud-accounts`
  const vultr = sim('vultr')
  const credentials = vultr.issueCredential({ access: { compute: 'read' } })
  const created = await app.inject({
    method: 'POST',
    url,
    headers: owner.headers,
    payload: { provider: 'vultr', label: 'ro', credentials },
  })
  t.equal(created.statusCode, 201, created.body)
  const before = created.json()
  t.equal(before.access.compute.level, 'read')

  // Every answer is held back long enough to arm a fault after the verify arrived: the listing
  // and the probe, sent once the verify is answered, then get no answer at all.
  vultr.registerCredential(credentials, { access: {}, latencyMs: 300 })
  vultr.clearRequests()
  const recheck = app.inject({
    method: 'POST',
    url: `${url}/${before.id}/recheck`,
    headers: owner.headers,
  })
  const until = Date.now() + 5000
  while (!vultr.requests.some((r) => r.path === '/v2/account') && Date.now() < until)
    await new Promise((resolve) => setTimeout(resolve, 5))
  vultr.fault({ kind: 'hang' })
  const res = await recheck
  vultr.fault(null)
  t.equal(res.statusCode, 200, res.body)
  const after = (await app.inject({ url, headers: owner.headers })).json().items[0]
  t.equal(after.status, 'connected', 'the status is unchanged')
  t.same(
    after.access,
    before.access,
    'the last known access is kept (the key became full meanwhile)',
  )
  t.ok(
    after.warnings.some((w: string) => /cannot create servers/.test(w)),
    'and so is its warning',
  )
  t.ok(vultr.requests.filter((r) => r.path === '/v2/account').length >= 2, 'the probe did ask')
})

t.test(
  'sandbox: the demo read-only credential cannot create servers; the full one can',
  async (t) => {
    t.setTimeout(120_000)
    const { app } = await build(t, { config: { SANDBOX: '1' } })
    const { workspaceId, owner } = await team(app)
    const url = `/api/v1/workspaces/${workspaceId}/cloud-accounts`
    const providers = (
      await app.inject({ url: '/api/v1/providers', headers: owner.headers })
    ).json()
    const demos = providers.demoCredentials as {
      provider: string
      kind: string
      credentials: Record<string, string>
    }[]
    const readOnly = demos.filter((d) => d.kind === 'readOnly')
    t.same(readOnly.map((d) => d.provider).sort(), [
      'aws',
      'cloudflare',
      'hetzner-robot',
      'linode',
      'ovh-ca',
      'ovh-eu',
      'scaleway',
      'vultr',
    ])
    for (const demo of readOnly) {
      const provider = demo.provider
      const good = demos.find((d) => d.provider === provider && d.kind === 'good')!.credentials
      const post = (credentials: Record<string, string>, label: string) =>
        app.inject({
          method: 'POST',
          url,
          headers: owner.headers,
          payload: { provider, label, credentials },
        })
      const full = (await post(good, `${provider} full`)).json()
      for (const capability of full.capabilities)
        t.equal(full.access[capability]?.level, 'write', `${provider} full: ${capability}`)
      const ro = await post(demo.credentials, `${provider} read-only`)
      t.equal(ro.statusCode, 201, ro.body)
      const account = ro.json()
      t.equal(account.status, 'connected')
      const capability = provider === 'cloudflare' ? 'dns' : 'compute'
      t.equal(account.access[capability].level, 'read', `${provider} read-only: ${capability}`)
      t.ok(account.access[capability].missing.length > 0, `${provider}: names what to add`)
      const noun = capability === 'dns' ? 'change DNS records' : 'create servers'
      t.ok(
        account.warnings.some(
          (w: string) =>
            w.includes(`cannot ${noun}`) && w.includes(account.access[capability].missing[0]),
        ),
        `${provider}: the warning names the permission`,
      )
    }
  },
)
