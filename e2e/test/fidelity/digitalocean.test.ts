import t from 'tap'
import { createApiClient } from 'dots-wrapper'
import type { AxiosError } from 'axios'
import { startSimulator } from '../../src/simulators/index.js'
import { clientFor } from '../helpers/broker-clients.js'
import { fleet, missingKeys, requestsTo } from '../helpers/fidelity.js'

/**
 * DigitalOcean through `dots-wrapper` (a typed wrapper of API v2; DigitalOcean's own clients are
 * godo and pydo, none for Node). Its types, which follow godo's JSON tags, name the fields a
 * droplet and an account must have; pagination follows `links.pages.next` as the API documents.
 */

/** Required properties of dots-wrapper's IDroplet and IAccount (godo's Droplet and Account). */
const DROPLET_KEYS = [
  'backup_ids',
  'created_at',
  'disk',
  'features',
  'id',
  'image',
  'kernel',
  'locked',
  'memory',
  'name',
  'networks',
  'next_backup_window',
  'region',
  'size_slug',
  'size',
  'snapshot_ids',
  'status',
  'tags',
  'vcpus',
  'volume_ids',
  'vpc_uuid',
]
const ACCOUNT_KEYS = [
  'droplet_limit',
  'email_verified',
  'email',
  'floating_ip_limit',
  'status_message',
  'status',
  'uuid',
]

t.test('digitalocean through dots-wrapper', async (t) => {
  const sim = await startSimulator('digitalocean')
  t.teardown(() => sim.close())
  const servers = fleet(45, {
    id: (i) => String(400_000_000 + i),
    status: 'active',
    region: (i) => ['fra1', 'ams3', 'nyc3'][i % 3] as string,
  })
  const good = sim.issueCredential({
    servers,
    identity: { id: 'b6fr89dbf6d9156cace5f3c78dc9851d957381ef', email: 'ops@example.com' },
  })
  const api = (token: string) =>
    createApiClient({ token, endpoint: `${sim.url}/v2`, requestTimeoutInMs: 5000 })

  t.test('the account behind the token', async (t) => {
    const { data, status } = await api(good.token as string).account.getAccount()
    t.equal(status, 200)
    t.same(missingKeys(data.account, ACCOUNT_KEYS), [])
    t.equal(data.account.uuid, 'b6fr89dbf6d9156cace5f3c78dc9851d957381ef')
    t.equal(data.account.email, 'ops@example.com')
    t.equal(data.account.status, 'active')
  })

  t.test('droplets over three pages, following links.pages.next', async (t) => {
    sim.clearRequests()
    const client = api(good.token as string)
    const seen: string[] = []
    let page: number | null = 1
    const links: unknown[] = []
    while (page) {
      const { data } = await client.droplet.listDroplets({ page, per_page: 20 })
      t.equal(data.meta?.total, 45)
      for (const d of data.droplets) {
        t.same(missingKeys(d, DROPLET_KEYS), [], `droplet ${d.id} has every field`)
        seen.push(String(d.id))
      }
      links.push(data.links?.pages)
      const next = data.links?.pages?.next
      page = next ? Number(new URL(next).searchParams.get('page')) : null
    }
    t.same(
      seen,
      servers.map((s) => s.providerServerId),
    )
    t.equal(links.length, 3)
    t.match(links[0], { next: /page=2/, last: /page=3/ })
    t.notOk((links[0] as Record<string, unknown>).prev, 'no prev on the first page')
    t.match(links[2], { first: /page=1/, prev: /page=2/ })
    t.notOk((links[2] as Record<string, unknown>).next, 'no next on the last page')
    t.same(
      requestsTo(sim, '/v2/droplets'),
      [1, 2, 3].map((p) => `/v2/droplets?page=${p}&per_page=20`),
    )
    const { data } = await client.droplet.listDroplets({ page: 1, per_page: 20 })
    const first = data.droplets[0]
    t.equal(first?.name, 'fid-1')
    t.match(first?.region, { slug: 'fra1' })
    t.match(first?.networks.v4, [{ ip_address: '198.51.100.1', type: 'public' }])
  })

  t.test('a bad token: 401 with the documented { id, message }', async (t) => {
    const err = (await api(`dop_v1_${'0'.repeat(64)}`)
      .account.getAccount()
      .then(
        () => null,
        (e: unknown) => e,
      )) as AxiosError | null
    t.equal(err?.response?.status, 401)
    t.match(err?.response?.data, { id: 'unauthorized', message: /^Unable to authenticate you/ })
  })

  t.test('a droplet created and deleted through the library; the list follows', async (t) => {
    const c = sim.issueCredential({ servers: servers.slice(0, 2) })
    const api = clientFor('digitalocean', { baseUrl: sim.url, credentials: c })
    sim.clearRequests()
    const id = await api.create('cl-write-1')
    t.ok((await api.list()).includes('cl-write-1'), 'listed after the create')
    await api.remove(id)
    t.same(await api.list(), ['fid-1', 'fid-2'], 'gone after the delete')
    const writes = sim.requests.filter((r) => r.method !== 'GET')
    t.same(
      writes.map((r) => [r.method, r.path, r.credential]),
      [
        ['POST', '/v2/droplets', c.token],
        ['DELETE', `/v2/droplets/${id}`, c.token],
      ],
    )
    t.match(JSON.parse(writes[0]!.body), { name: 'cl-write-1', region: 'fra1', size: String })
  })

  t.test('the create answer: 202, a droplet with every field, its create action', async (t) => {
    const c = sim.issueCredential({ servers: [] })
    const res = await api(c.token as string).droplet.createDroplet({
      name: 'cl-write-2',
      region: 'ams3',
      size: 's-1vcpu-1gb',
      image: 'ubuntu-24-04-x64',
    })
    t.equal(res.status, 202)
    t.same(missingKeys(res.data.droplet, DROPLET_KEYS), [])
    t.match(res.data.droplet, { name: 'cl-write-2', status: 'new', networks: { v4: [] } })
    const links = (res.data as { links?: { actions?: unknown[] } }).links
    t.match(links?.actions, [{ id: Number, rel: 'create', href: /\/v2\/actions\/\d+$/ }])
    const bad = (await api(c.token as string)
      .droplet.createDroplet({ name: 'no spaces', size: 's-1vcpu-1gb', image: 1 })
      .then(
        () => null,
        (e: unknown) => e,
      )) as AxiosError | null
    t.equal(bad?.response?.status, 422)
    t.match(bad?.response?.data, { id: 'unprocessable_entity', message: String })
    const gone = await api(c.token as string).droplet.deleteDroplet({
      droplet_id: res.data.droplet.id,
    })
    t.equal(gone.status, 204)
  })

  t.test('a read-only token lists, and its create and delete are 403 forbidden', async (t) => {
    const readOnly = sim.issueCredential({
      access: { compute: 'read' },
      servers: servers.slice(0, 1),
    })
    const client = clientFor('digitalocean', { baseUrl: sim.url, credentials: readOnly })
    t.same(await client.list(), ['fid-1'])
    const forbidden = { response: { status: 403, data: { id: 'forbidden' } } }
    await t.rejects(client.create('cl-nope'), forbidden)
    await t.rejects(client.remove(servers[0]!.providerServerId), forbidden)
    t.same(await client.list(), ['fid-1'], 'nothing changed')
  })

  t.test('an OAuth grant of `read` alone lists; `read write` also creates', async (t) => {
    const sim2 = await startSimulator('digitalocean')
    t.teardown(() => sim2.close())
    const form = { 'content-type': 'application/x-www-form-urlencoded' }
    await fetch(`${sim2.url}/__sim-oauth/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: 'fid', clientSecret: 'fid-secret' }),
    })
    /** Consent (granted at once) and the code exchange, as the product's OAuth client does. */
    const accessToken = async (scope: string) => {
      const redirect = 'http://127.0.0.1:9/callback'
      const authorize = new URL(`${sim2.url}/v1/oauth/authorize`)
      for (const [k, v] of Object.entries({ client_id: 'fid', redirect_uri: redirect, scope }))
        authorize.searchParams.set(k, v)
      authorize.searchParams.set('response_type', 'code')
      const back = await fetch(authorize, { redirect: 'manual' })
      const code = new URL(back.headers.get('location') ?? '').searchParams.get('code') ?? ''
      const body = new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirect,
        client_id: 'fid',
        client_secret: 'fid-secret',
      })
      const res = await fetch(`${sim2.url}/v1/oauth/token`, { method: 'POST', headers: form, body })
      return ((await res.json()) as { access_token: string }).access_token
    }
    const readOnly = clientFor('digitalocean', {
      baseUrl: sim2.url,
      token: await accessToken('read'),
    })
    t.equal((await readOnly.list()).length, 2, 'the signed-in user’s droplets')
    await t.rejects(readOnly.create('cl-nope'), { response: { status: 403 } })
    const readWrite = clientFor('digitalocean', {
      baseUrl: sim2.url,
      token: await accessToken('read write'),
    })
    const id = await readWrite.create('cl-oauth-1')
    t.ok((await readOnly.list()).includes('cl-oauth-1'), 'one account behind both grants')
    await readWrite.remove(id)
  })
})
