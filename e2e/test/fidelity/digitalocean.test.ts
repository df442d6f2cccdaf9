import t from 'tap'
import { createApiClient } from 'dots-wrapper'
import type { AxiosError } from 'axios'
import { startSimulator } from '../../src/simulators/index.js'
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
})
