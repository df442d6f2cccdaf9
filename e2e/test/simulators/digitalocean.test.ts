import t from 'tap'
import { startSimulator } from '../../src/simulators/index.js'
import { call } from '../helpers/provider-cases.js'

t.test('digitalocean', async (t) => {
  const sim = await startSimulator('digitalocean')
  t.teardown(() => sim.close())

  t.test('GET /v2/account has the documented shape and identity', async (t) => {
    const identity = {
      id: 'b6fr89dbf6d9156cace5f3c78dc9851d957381ef',
      name: 'Sammy',
      email: 's@x.io',
    }
    const res = await call(sim, '/v2/account', sim.issueCredential({ identity }))
    t.same(res.body, {
      account: {
        droplet_limit: 25,
        floating_ip_limit: 5,
        reserved_ip_limit: 5,
        volume_limit: 100,
        email: 's@x.io',
        name: 'Sammy',
        uuid: identity.id,
        email_verified: true,
        status: 'active',
        status_message: '',
      },
    })
    t.equal(res.headers.get('ratelimit-limit'), '5000')
    t.equal(res.headers.get('ratelimit-remaining'), '4999')
  })

  t.test('droplets paginate with links.pages and meta.total', async (t) => {
    const servers = ['1', '2', '3'].map((id) => ({
      providerServerId: id,
      name: `d${id}`,
      status: id === '2' ? 'off' : 'active',
      region: 'fra1',
      ipv4: `192.0.2.${id}`,
    }))
    const c = sim.issueCredential({ servers })
    const first = await call(sim, '/v2/droplets?per_page=2', c)
    t.match(first.body, {
      droplets: [
        { id: 1, name: 'd1', status: 'active', region: { slug: 'fra1' } },
        { id: 2, status: 'off', networks: { v4: [{ ip_address: '192.0.2.2', type: 'public' }] } },
      ],
      links: { pages: { next: `${sim.url}/v2/droplets?per_page=2&page=2` } },
      meta: { total: 3 },
    })
    const last = await call(sim, '/v2/droplets?per_page=2&page=2', c)
    const body = last.body as { droplets: unknown[]; links: { pages: Record<string, string> } }
    t.equal(body.droplets.length, 1)
    t.same(Object.keys(body.links.pages).sort(), ['first', 'prev'])
    const single = await call(sim, '/v2/droplets', c)
    t.same((single.body as { links: unknown }).links, {})
  })

  t.test('insufficient scopes get 403 forbidden', async (t) => {
    const c = sim.issueCredential({ scopes: 'insufficient' })
    for (const path of ['/v2/account', '/v2/droplets']) {
      const res = await call(sim, path, c)
      t.same(
        [res.status, res.body],
        [403, { id: 'forbidden', message: 'You do not have permission to perform this action.' }],
      )
    }
  })
})
