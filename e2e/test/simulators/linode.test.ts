import t from 'tap'
import { startSimulator } from '../../src/simulators/index.js'
import { call } from '../helpers/provider-cases.js'

t.test('linode', async (t) => {
  const sim = await startSimulator('linode')
  t.teardown(() => sim.close())

  t.test('GET /v4/profile identifies the user and reports scopes', async (t) => {
    const c = sim.issueCredential({ identity: { id: '6368933', name: 'ada', email: 'a@x.io' } })
    const res = await call(sim, '/v4/profile', c)
    t.match(res.body, { uid: 6368933, username: 'ada', email: 'a@x.io', restricted: false })
    t.equal(res.headers.get('x-oauth-scopes'), '*')
    t.ok(res.headers.get('x-ratelimit-remaining'))
  })

  t.test('a token without linodes scope: profile works, instances are a 401', async (t) => {
    const c = sim.issueCredential({ scopes: 'insufficient' })
    const profile = await call(sim, '/v4/profile', c)
    t.equal(profile.status, 200)
    t.notMatch(profile.headers.get('x-oauth-scopes'), /linodes|\*/)
    const res = await call(sim, '/v4/linode/instances', c)
    t.same(
      [res.status, res.body],
      [401, { errors: [{ reason: 'Your OAuth token is not authorized to use this endpoint.' }] }],
    )
    t.equal(res.headers.get('x-accepted-oauth-scopes'), 'linodes:read_only')
  })

  t.test('instances paginate with data, page, pages, results', async (t) => {
    const servers = ['11', '12', '13'].map((id) => ({
      providerServerId: id,
      name: `l${id}`,
      status: 'running',
      region: 'eu-central',
      ipv4: `192.0.2.${id}`,
    }))
    const c = sim.issueCredential({ servers })
    const res = await call(sim, '/v4/linode/instances?page=2&page_size=2', c)
    t.match(res.body, {
      data: [
        { id: 13, label: 'l13', status: 'running', region: 'eu-central', ipv4: ['192.0.2.13'] },
      ],
      page: 2,
      pages: 2,
      results: 3,
    })
  })
})
