import t from 'tap'
import Cloudflare from 'cloudflare'
import { startSimulator } from '../../src/simulators/index.js'
import { clientFor } from '../helpers/broker-clients.js'
import { fleet, missingKeys, requestsTo } from '../helpers/fidelity.js'

/**
 * Cloudflare through `cloudflare`, the official TypeScript SDK. Cloudflare has no servers: what a
 * connection lists is zones, so the paginated list here is GET /zones, walked by the SDK's own
 * auto-pagination (it asks for page after page until one comes back empty). The account call is
 * the token's own verify endpoint (user token, and account token with its account id) plus the
 * accounts it can reach.
 */

/** Required properties of the SDK's Zone type. */
const ZONE_KEYS = [
  'id',
  'account',
  'activated_on',
  'created_on',
  'development_mode',
  'meta',
  'modified_on',
  'name',
  'name_servers',
  'original_dnshost',
  'original_name_servers',
  'original_registrar',
  'owner',
  'plan',
]

const hex32 = (i: number) => i.toString(16).padStart(32, 'c')

t.test('cloudflare through the official SDK', async (t) => {
  const sim = await startSimulator('cloudflare')
  t.teardown(() => sim.close())
  const zones = fleet(45, { id: hex32, status: 'active', region: 'global' }).map((z, i) => ({
    ...z,
    name: `zone-${i + 1}.example.com`,
    ipv4: null,
  }))
  const userToken = sim.issueCredential({ servers: zones })
  const accountId = 'a'.repeat(32)
  const accountToken = { token: `cfat_${'B'.repeat(40)}${'0'.repeat(8)}`, accountId }
  sim.registerCredential(accountToken, { servers: [] })
  const cf = (apiToken: string) =>
    new Cloudflare({ apiToken, baseURL: `${sim.url}/client/v4`, maxRetries: 0 })

  t.test('a user token verifies and names its account', async (t) => {
    const client = cf(userToken.token as string)
    const status = await client.user.tokens.verify()
    t.match(status, { id: /^[a-f0-9]{32}$/, status: 'active' })
    const accounts = []
    for await (const account of client.accounts.list()) accounts.push(account)
    t.equal(accounts.length, 1)
    t.match(accounts[0], { id: /^[a-f0-9]{32}$/, name: /Account$/ })
  })

  t.test('an account token verifies on its account’s endpoint only', async (t) => {
    const client = cf(accountToken.token)
    t.match(await client.accounts.tokens.verify({ account_id: accountId }), { status: 'active' })
    const err = await client.user.tokens.verify().then(
      () => null,
      (e: unknown) => e,
    )
    t.ok(err instanceof Cloudflare.AuthenticationError)
    t.match(err, { status: 401, errors: [{ code: 1000, message: 'Invalid API Token' }] })
  })

  t.test('zones over three pages with the SDK’s auto-pagination', async (t) => {
    sim.clearRequests()
    const seen = []
    for await (const zone of cf(userToken.token as string).zones.list({ per_page: 20 })) {
      t.same(missingKeys(zone, ZONE_KEYS), [], `zone ${zone.name} has every field`)
      seen.push(zone.id)
    }
    t.same(
      seen,
      zones.map((z) => z.providerServerId),
    )
    // Pages 1-3 carry zones; the SDK stops at the first empty page.
    t.same(requestsTo(sim, '/client/v4/zones'), [
      '/client/v4/zones?per_page=20',
      '/client/v4/zones?per_page=20&page=2',
      '/client/v4/zones?per_page=20&page=3',
      '/client/v4/zones?per_page=20&page=4',
    ])
    const first = await cf(userToken.token as string).zones.list({ per_page: 20 })
    t.match(first.result_info, {
      page: 1,
      per_page: 20,
      count: 20,
      total_count: 45,
      total_pages: 3,
    })
  })

  t.test('a bad token: the SDK’s AuthenticationError with code 1000', async (t) => {
    const err = await cf(`cfut_${'x'.repeat(40)}${'0'.repeat(8)}`)
      .user.tokens.verify()
      .then(
        () => null,
        (e: unknown) => e,
      )
    t.ok(err instanceof Cloudflare.AuthenticationError)
    t.match(err, { status: 401, errors: [{ code: 1000, message: 'Invalid API Token' }] })
  })

  t.test('the nearest write: a DNS record created and deleted through the SDK', async (t) => {
    const c = sim.issueCredential({ servers: zones.slice(0, 2) })
    const api = clientFor('cloudflare', { baseUrl: sim.url, credentials: c })
    t.same(await api.servers(), ['zone-1.example.com', 'zone-2.example.com'])
    t.same(await api.list(), [], 'no records yet')
    sim.clearRequests()
    const id = await api.create('cl-write-1')
    t.match(id, /^[0-9a-f]{32}$/)
    t.same(await api.list(), ['cl-write-1'])
    await api.remove(id)
    t.same(await api.list(), [], 'gone after the delete')
    const path = `/client/v4/zones/${zones[0]!.providerServerId}/dns_records`
    const writes = sim.requests.filter((r) => r.method !== 'GET')
    t.same(
      writes.map((r) => [r.method, r.path, r.credential]),
      [
        ['POST', path, c.token],
        ['DELETE', `${path}/${id}`, c.token],
      ],
    )
    t.match(JSON.parse(writes[0]!.body), { type: 'A', name: 'cl-write-1', content: '192.0.2.10' })
  })

  t.test('records and zones as the SDK types them; an identical record is refused', async (t) => {
    const c = sim.issueCredential({ servers: zones.slice(0, 1) })
    const client = cf(c.token as string)
    const zoneId = zones[0]!.providerServerId
    const params = {
      zone_id: zoneId,
      type: 'A' as const,
      name: 'www',
      content: '192.0.2.1',
      ttl: 1,
    }
    const record = await client.dns.records.create(params)
    t.same(
      missingKeys(record, ['id', 'name', 'type', 'content', 'proxiable', 'proxied', 'ttl']),
      [],
    )
    t.match(record, { name: 'www.zone-1.example.com', proxied: false, created_on: String })
    const again = await client.dns.records.create(params).then(
      () => null,
      (e: unknown) => e,
    )
    t.ok(again instanceof Cloudflare.BadRequestError)
    t.match(again, { status: 400, errors: [{ code: 81058 }] })
    t.same(await client.dns.records.delete(record.id, { zone_id: zoneId }), { id: record.id })

    const accountId = (await client.accounts.list()).result[0]!.id
    const zone = await client.zones.create({ account: { id: accountId }, name: 'new.example.org' })
    t.same(missingKeys(zone, ZONE_KEYS), [])
    t.match(zone, { name: 'new.example.org', status: 'pending' })
    t.same(await client.zones.delete({ zone_id: zone.id }), { id: zone.id })
    t.same(
      (await clientFor('cloudflare', { baseUrl: sim.url, credentials: c }).servers()).length,
      1,
    )
  })

  t.test('a read-only token: its writes are 403 PermissionDeniedError', async (t) => {
    const readOnly = sim.issueCredential({ access: { dns: 'read' }, servers: zones.slice(0, 1) })
    const api = clientFor('cloudflare', { baseUrl: sim.url, credentials: readOnly })
    t.same(await api.list(), [])
    const err = await api.create('cl-nope').then(
      () => null,
      (e: unknown) => e,
    )
    t.ok(err instanceof Cloudflare.PermissionDeniedError)
    t.match(err, { status: 403, errors: [{ code: 9109 }] })
  })
})
