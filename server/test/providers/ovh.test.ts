import t from 'tap'
import type { Simulator } from '@cloudlink/e2e/simulators'
import { runCheck } from '../../src/domain/cloud-accounts/run-check.js'
import { invalidField, simContext } from './sim-context.js'

/** Asks the simulator for a consumer key with `rules` via the real flow, validated unless told. */
async function consumerKey(
  sim: Simulator,
  applicationKey: string,
  rules: { method: string; path: string }[],
  validation = '',
) {
  const res = await fetch(`${sim.url}/1.0/auth/credential`, {
    method: 'POST',
    headers: { 'X-Ovh-Application': applicationKey, 'content-type': 'application/json' },
    body: JSON.stringify({ accessRules: rules }),
  })
  const body = (await res.json()) as { validationUrl: string; consumerKey: string }
  if (validation !== 'pending') await fetch(body.validationUrl + validation)
  return body.consumerKey
}

const SERVER_RULES = [
  { method: 'GET', path: '/dedicated/server' },
  { method: 'GET', path: '/dedicated/server/*' },
]

/** OVHcloud: signed with the API's clock, one host per subsidiary, consumer keys with rules. */
t.test('ovh', async (t) => {
  const { sim, module, ctx } = await simContext(t, 'ovh-eu')
  const ca = await simContext(t, 'ovh-ca')
  t.beforeEach(() => sim.clearRequests())

  t.test('verified with the /me identity', async (t) => {
    const raw = sim.issueCredential({
      identity: { id: 'ab12345-ovh', name: 'Ada Lovelace', email: 'ada@example.com' },
    })
    t.same(await module.verify(ctx, module.validate(raw)), {
      outcome: 'verified',
      identity: { id: 'ab12345-ovh', name: 'Ada Lovelace', email: 'ada@example.com' },
      warnings: [],
    })
    t.same(
      sim.requests.map((r) => r.path),
      ['/1.0/auth/time', '/1.0/auth/currentCredential', '/1.0/me', '/1.0/dedicated/server'],
    )
  })

  t.test('the legacy secret:consumerKey form is split before use', async (t) => {
    const raw = sim.issueCredential()
    const legacy = {
      applicationKey: raw.applicationKey!,
      applicationSecret: `${raw.applicationSecret}:${raw.consumerKey}`,
      consumerKey: '',
    }
    const creds = module.validate(legacy)
    t.same(creds, raw)
    t.equal(module.canonical(creds), module.canonical(module.validate(raw)))
    t.equal((await module.verify(ctx, creds)).outcome, 'verified')
    t.equal(
      invalidField(module, { ...legacy, consumerKey: 'Z'.repeat(32) }),
      'credentials.consumerKey',
      'two different consumer keys',
    )
    t.equal(invalidField(module, { ...raw, consumerKey: '' }), 'credentials.consumerKey')
  })

  t.test('keys of the other subsidiary: the message says where they belong', async (t) => {
    const fromCa = ca.sim.issueCredential()
    t.match(await module.verify(ctx, module.validate(fromCa)), {
      outcome: 'rejected',
      providerStatus: 403,
      providerCode: 'INVALID_KEY',
      reason:
        /^This application key is not known to OVHcloud Europe .*; keys created on ca\.api\.ovh\.com work only with OVHcloud North America/,
    })
    const fromEu = sim.issueCredential()
    t.match(await ca.module.verify(ca.ctx, ca.module.validate(fromEu)), {
      outcome: 'rejected',
      reason:
        /not known to OVHcloud North America .*keys created on eu\.api\.ovh\.com work only with OVHcloud Europe/,
    })
  })

  t.test('a clock 600 s behind the API still signs valid requests', async (t) => {
    const raw = sim.issueCredential()
    sim.advanceClock(600)
    t.teardown(() => sim.advanceClock(-600))
    t.equal((await module.verify(ctx, module.validate(raw))).outcome, 'verified')
    const signed = Number(sim.requests[1]?.headers['x-ovh-timestamp'])
    t.ok(signed - Date.now() / 1000 > 590, 'X-Ovh-Timestamp is the API’s time, not ours')
  })

  t.test('wrong application secret: INVALID_SIGNATURE is a rejection', async (t) => {
    const raw = sim.issueCredential()
    t.match(
      await module.verify(ctx, module.validate({ ...raw, applicationSecret: 'W'.repeat(32) })),
      {
        outcome: 'rejected',
        providerStatus: 400,
        providerCode: 'INVALID_SIGNATURE',
        reason: /application secret does not belong/,
      },
    )
  })

  t.test('consumer key states: pending, refused, expired; expiring ones warn', async (t) => {
    const app = sim.issueCredential()
    const verifyWith = async (ck: string) =>
      module.verify(ctx, module.validate({ ...app, consumerKey: ck }))
    const all = [{ method: 'GET', path: '/*' }]
    t.match(await verifyWith(await consumerKey(sim, app.applicationKey!, all, 'pending')), {
      outcome: 'rejected',
      providerCode: 'pendingValidation',
      reason: /not been validated yet/,
    })
    t.match(await verifyWith(await consumerKey(sim, app.applicationKey!, all, '&refuse=1')), {
      outcome: 'rejected',
      reason: /was refused/,
    })
    const expiring = await consumerKey(sim, app.applicationKey!, all, '&expiresIn=3600')
    t.match(await verifyWith(expiring), { outcome: 'verified', warnings: [/expires on/] })
    sim.advanceClock(3601)
    t.teardown(() => sim.advanceClock(-3601))
    t.match(await verifyWith(expiring), {
      outcome: 'rejected',
      providerCode: 'expired',
      reason: /has expired/,
    })
  })

  t.test(
    'rules: without GET /me only a warning; without the servers a rejection naming the rule',
    async (t) => {
      const app = sim.issueCredential()
      const ck = await consumerKey(sim, app.applicationKey!, SERVER_RULES)
      t.match(await module.verify(ctx, module.validate({ ...app, consumerKey: ck })), {
        outcome: 'verified',
        identity: null,
        warnings: [/GET \/me/],
      })
      const meOnly = sim.issueCredential({ scopes: 'insufficient' })
      t.match(await module.verify(ctx, module.validate(meOnly)), {
        outcome: 'rejected',
        providerCode: 'NOT_GRANTED_CALL',
        reason: /lacks the access rule GET \/dedicated\/server \(/,
      })
    },
  )

  t.test('dedicated servers come whole, a page of 100 at a time: no call per server', async (t) => {
    const servers = Array.from({ length: 253 }, (_, i) => ({
      providerServerId: `ns${1000 + i}.ip-192-0-2.eu`,
      name: `node-${i}`,
      status: 'poweron',
      region: 'gra3',
      ipv4: `192.0.2.${(i % 250) + 1}`,
    }))
    const raw = sim.issueCredential({ servers })
    const list = await module.listServers(ctx, module.validate(raw))
    if (list.outcome !== 'listed') throw new Error(JSON.stringify(list))
    t.equal(list.servers.length, 253)
    t.same(list.servers[0], {
      providerServerId: 'ns1000.ip-192-0-2.eu',
      name: 'node-0',
      status: 'poweron',
      region: 'gra3',
      ipv4: '192.0.2.1',
      kind: 'dedicated',
    })
    t.same(list.servers[252], {
      providerServerId: 'ns1252.ip-192-0-2.eu',
      name: 'node-252',
      status: 'poweron',
      region: 'gra3',
      ipv4: '192.0.2.3',
      kind: 'dedicated',
    })
    t.equal(list.note, undefined)
    const pages = sim.requests.filter((r) => r.path === '/1.0/dedicated/server')
    t.same(
      pages.map((r) => [r.headers['x-pagination-mode'], r.headers['x-pagination-number']]),
      [1, 2, 3].map((n) => ['CachedObjectList-Pages', String(n)]),
    )
    t.equal(sim.requests.filter((r) => r.path.startsWith('/1.0/dedicated/server/')).length, 0)
    t.equal(module.hint(module.validate(raw)), `••••${raw.applicationKey!.slice(-4)}`)
  })

  t.test('dedicated servers, VPS and the instances of every Public Cloud project', async (t) => {
    const raw = sim.issueCredential({
      servers: [
        {
          providerServerId: 'ns1.ip-192-0-2.eu',
          name: 'db',
          status: 'poweron',
          region: 'rbx8',
          ipv4: '192.0.2.1',
        },
        {
          providerServerId: 'vps-1a2b3c4d.vps.ovh.net',
          name: 'web',
          status: 'running',
          region: 'os-gra5',
          ipv4: '198.51.100.7',
          kind: 'vps',
        },
        {
          providerServerId: '6c1d4b0e-0000-4000-a000-000000000001',
          name: 'ci-1',
          status: 'ACTIVE',
          region: 'GRA11',
          ipv4: '203.0.113.4',
          kind: 'instance',
          project: 'a'.repeat(32),
        },
        {
          providerServerId: '6c1d4b0e-0000-4000-a000-000000000002',
          name: 'ci-2',
          status: 'SHUTOFF',
          region: 'SBG5',
          ipv4: null,
          kind: 'instance',
          project: 'b'.repeat(32),
        },
      ],
    })
    const list = await module.listServers(ctx, module.validate(raw))
    t.same(list, {
      outcome: 'listed',
      servers: [
        {
          providerServerId: 'ns1.ip-192-0-2.eu',
          name: 'db',
          status: 'poweron',
          region: 'rbx8',
          ipv4: '192.0.2.1',
          kind: 'dedicated',
        },
        {
          providerServerId: 'vps-1a2b3c4d.vps.ovh.net',
          name: 'web',
          status: 'running',
          region: 'os-gra5',
          ipv4: '198.51.100.7',
          kind: 'vps',
        },
        {
          providerServerId: '6c1d4b0e-0000-4000-a000-000000000001',
          name: 'ci-1',
          status: 'ACTIVE',
          region: 'GRA11',
          ipv4: '203.0.113.4',
          kind: 'instance',
        },
        {
          providerServerId: '6c1d4b0e-0000-4000-a000-000000000002',
          name: 'ci-2',
          status: 'SHUTOFF',
          region: 'SBG5',
          ipv4: null,
          kind: 'instance',
        },
      ],
    })
    const paths = sim.requests.map((r) => r.path)
    // The clock once; the three lists asked together (in whatever order they arrive), then the
    // details each needs, in a fixed order.
    t.same(paths[0], '/1.0/auth/time')
    t.same(paths.slice(1, 4).sort(), ['/1.0/cloud/project', '/1.0/dedicated/server', '/1.0/vps'])
    t.same(paths.slice(4), [
      '/1.0/vps/vps-1a2b3c4d.vps.ovh.net/ips',
      `/1.0/cloud/project/${'a'.repeat(32)}/instance`,
      `/1.0/cloud/project/${'b'.repeat(32)}/instance`,
    ])
  })

  t.test('a whole check (verify, listing, probe) reads the API clock once', async (t) => {
    const raw = sim.issueCredential({
      servers: [
        {
          providerServerId: 'ns1.ip-192-0-2.eu',
          name: 'db',
          status: 'poweron',
          region: 'rbx8',
          ipv4: null,
        },
      ],
    })
    const run = await runCheck(module, ctx, module.validate(raw))
    t.equal(run.result.outcome, 'verified')
    t.equal(run.servers?.length, 1)
    t.equal(sim.requests.filter((r) => r.path === '/1.0/auth/time').length, 1)
    // Other keys read it for themselves: the reading is shared within one key's check only.
    await module.verify(ctx, module.validate(sim.issueCredential()))
    t.equal(sim.requests.filter((r) => r.path === '/1.0/auth/time').length, 2)
  })

  t.test('a product line the consumer key may not read is left out with a note', async (t) => {
    const app = sim.issueCredential({
      servers: [
        {
          providerServerId: 'ns1.ip-192-0-2.eu',
          name: 'db',
          status: 'poweron',
          region: 'rbx8',
          ipv4: null,
        },
        {
          providerServerId: 'vps-1.vps.ovh.net',
          name: 'web',
          status: 'running',
          region: 'os-gra5',
          ipv4: null,
          kind: 'vps',
        },
      ],
    })
    const ck = await consumerKey(sim, app.applicationKey!, [
      ...SERVER_RULES,
      { method: 'GET', path: '/cloud/project' },
      { method: 'GET', path: '/cloud/project/*' },
    ])
    const list = await module.listServers(ctx, module.validate({ ...app, consumerKey: ck }))
    t.match(list, {
      outcome: 'listed',
      servers: [{ providerServerId: 'ns1.ip-192-0-2.eu', kind: 'dedicated' }],
      note: /may not read GET \/vps, so OVHcloud Europe servers of that kind are not listed/,
    })
    t.equal(list.outcome === 'listed' && list.servers.length, 1)
  })
})
