import t from 'tap'
import { baseRequest, createLinode, getLinodes, getProfile, setToken } from '@linode/api-v4'
import type { AxiosError } from 'axios'
import { startSimulator } from '../../src/simulators/index.js'
import { clientFor } from '../helpers/broker-clients.js'
import { fleet, missingKeys, requestsTo } from '../helpers/fidelity.js'

/**
 * Linode (Akamai) through `@linode/api-v4`, Linode's official JavaScript client (the one Cloud
 * Manager uses). It has no base-URL option: its requests go to https://api.linode.com, so an
 * interceptor on its exported axios instance moves them to the simulator, path untouched. It
 * lists Linodes under `/v4beta`, which the real API serves beside `/v4`.
 */

/** Required properties of the client's Linode and Profile types. */
const LINODE_KEYS = [
  'alerts',
  'backups',
  'capabilities',
  'created',
  'group',
  'has_user_data',
  'hypervisor',
  'id',
  'image',
  'ipv4',
  'ipv6',
  'label',
  'lke_cluster_id',
  'locks',
  'maintenance_policy',
  'placement_group',
  'region',
  'site_type',
  'specs',
  'status',
  'tags',
  'type',
  'updated',
  'watchdog_enabled',
]
const PROFILE_KEYS = [
  'authentication_type',
  'authorized_keys',
  'email',
  'email_notifications',
  'ip_whitelist_enabled',
  'lish_auth_method',
  'referrals',
  'restricted',
  'timezone',
  'two_factor_auth',
  'uid',
  'user_type',
  'username',
  'verified_phone_number',
]

t.test('linode through @linode/api-v4', async (t) => {
  const sim = await startSimulator('linode')
  t.teardown(() => sim.close())
  const servers = fleet(120, {
    id: (i) => String(60_000_000 + i),
    status: 'running',
    region: 'eu-central',
  })
  const good = sim.issueCredential({
    servers,
    identity: { id: '1234567', name: 'ops-team', email: 'ops@example.com' },
  })
  const redirect = baseRequest.interceptors.request.use((config) => ({
    ...config,
    url: config.url?.replace('https://api.linode.com', sim.url),
  }))
  t.teardown(() => baseRequest.interceptors.request.eject(redirect))
  // setToken adds an interceptor per call (global state): each test ejects its own again.
  const as = (token: string) => setToken(token)

  t.test('the profile behind the token', async (t) => {
    const auth = as(good.token as string)
    t.teardown(() => baseRequest.interceptors.request.eject(auth))
    const profile = await getProfile()
    t.same(missingKeys(profile, PROFILE_KEYS), [])
    t.equal(profile.uid, 1234567)
    t.equal(profile.username, 'ops-team')
    t.equal(profile.email, 'ops@example.com')
  })

  t.test('instances over three pages, page by page until `pages`', async (t) => {
    const auth = as(good.token as string)
    t.teardown(() => baseRequest.interceptors.request.eject(auth))
    sim.clearRequests()
    const seen: string[] = []
    let page = 1
    let pages: number
    do {
      const res = await getLinodes({ page, page_size: 50 })
      t.equal(res.page, page)
      t.equal(res.results, 120)
      pages = res.pages
      for (const l of res.data) seen.push(String(l.id))
      t.same(missingKeys(res.data[0], LINODE_KEYS), [])
      page++
    } while (page <= pages)
    t.equal(pages, 3)
    t.same(
      seen,
      servers.map((s) => s.providerServerId),
    )
    t.same(
      requestsTo(sim, '/v4beta/linode/instances'),
      [1, 2, 3].map((p) => `/v4beta/linode/instances?page=${p}&page_size=50`),
    )
  })

  t.test('a bad token: 401 with the documented errors array', async (t) => {
    const auth = as('0'.repeat(64))
    t.teardown(() => baseRequest.interceptors.request.eject(auth))
    const err = (await getProfile().then(
      () => null,
      (e: unknown) => e,
    )) as AxiosError | null
    t.equal(err?.response?.status, 401)
    t.same(err?.response?.data, { errors: [{ reason: 'Invalid Token' }] })
  })

  t.test('a Linode created and deleted through the library; the list follows', async (t) => {
    const c = sim.issueCredential({ servers: servers.slice(0, 2) })
    const api = clientFor('linode', { baseUrl: sim.url, credentials: c })
    sim.clearRequests()
    const id = await api.create('cl-write-1')
    t.ok((await api.list()).includes('cl-write-1'), 'listed after the create')
    await api.remove(id)
    t.same(await api.list(), ['fid-1', 'fid-2'], 'gone after the delete')
    const writes = sim.requests.filter((r) => r.method !== 'GET')
    t.same(
      writes.map((r) => [r.method, r.path, r.credential]),
      [
        ['POST', '/v4beta/linode/instances', c.token],
        ['DELETE', `/v4/linode/instances/${id}`, c.token],
      ],
    )
    t.match(JSON.parse(writes[0]!.body), { label: 'cl-write-1', region: String, type: String })
  })

  t.test('the create answer is a whole Linode, provisioning; a taken label is a 400', async (t) => {
    const c = sim.issueCredential({ servers: servers.slice(0, 1) })
    const auth = as(c.token as string)
    t.teardown(() => baseRequest.interceptors.request.eject(auth))
    const data = { region: 'eu-central', type: 'g6-nanode-1', label: 'cl-write-2' }
    const created = await createLinode(data)
    t.same(missingKeys(created, LINODE_KEYS), [])
    t.match(created, { label: 'cl-write-2', status: 'provisioning', type: 'g6-nanode-1' })
    const err = (await createLinode({ ...data, label: 'fid-1' }).then(
      () => null,
      (e: unknown) => e,
    )) as AxiosError | null
    t.equal(err?.response?.status, 400)
    t.same(err?.response?.data, {
      errors: [{ field: 'label', reason: 'Label must be unique among your linodes' }],
    })
  })

  t.test('a read-only token: its writes are refused like a missing scope', async (t) => {
    const readOnly = sim.issueCredential({
      access: { compute: 'read' },
      servers: servers.slice(0, 1),
    })
    const api = clientFor('linode', { baseUrl: sim.url, credentials: readOnly })
    t.same(await api.list(), ['fid-1'])
    sim.clearRequests()
    const refused = {
      response: {
        status: 401,
        headers: { 'x-accepted-oauth-scopes': 'linodes:read_write' },
        data: { errors: [{ reason: 'Your OAuth token is not authorized to use this endpoint.' }] },
      },
    }
    await t.rejects(api.create('cl-nope'), refused)
    await t.rejects(api.remove(servers[0]!.providerServerId), refused)
    t.same(await api.list(), ['fid-1'], 'nothing changed')
    t.equal(sim.requests[0]?.credential, readOnly.token)
  })
})
