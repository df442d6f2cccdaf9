import t from 'tap'
import { startSimulator } from '../../src/simulators/index.js'
import { call } from '../helpers/provider-cases.js'

t.test('scaleway', async (t) => {
  const sim = await startSimulator('scaleway')
  t.teardown(() => sim.close())

  t.test('GET /iam/v1alpha1/api-keys/{access_key} with the key’s own secret', async (t) => {
    const c = sim.issueCredential({ identity: { id: '11111111-2222-4333-a444-555555555555' } })
    const res = await call(sim, `/iam/v1alpha1/api-keys/${c.accessKey}`, c)
    t.match(res.body, {
      access_key: c.accessKey,
      secret_key: null,
      user_id: '11111111-2222-4333-a444-555555555555',
      default_project_id: String,
      expires_at: null,
    })
  })

  t.test('another key’s access key is not found: the secret authenticates alone', async (t) => {
    const a = sim.issueCredential()
    const b = sim.issueCredential()
    const res = await call(sim, `/iam/v1alpha1/api-keys/${b.accessKey}`, a)
    t.same(
      [res.status, res.body],
      [
        404,
        {
          message: 'resource is not found',
          resource: 'api_key',
          resource_id: b.accessKey,
          type: 'not_found',
        },
      ],
    )
  })

  t.test('a malformed secret is invalid_argument', async (t) => {
    const res = await call(sim, '/instance/v1/zones/fr-par-1/servers', { secretKey: 'nope' })
    t.match(
      [res.status, res.body],
      [401, { type: 'denied_authentication', reason: 'invalid_argument' }],
    )
  })

  t.test('without IAM or Instances read: 403 permissions_denied naming the resource', async (t) => {
    const c = sim.issueCredential({ scopes: 'insufficient' })
    const key = await call(sim, `/iam/v1alpha1/api-keys/${c.accessKey}`, c)
    t.match(
      [key.status, key.body],
      [403, { type: 'permissions_denied', details: [{ resource: 'api_key' }] }],
    )
    const list = await call(sim, '/instance/v1/zones/fr-par-1/servers', c)
    t.match(list.body, { type: 'permissions_denied', details: [{ resource: 'instance_server' }] })
  })

  t.test('servers per zone, paged, with X-Total-Count; unknown zones are 404', async (t) => {
    const servers = ['fr-par-1', 'nl-ams-1', 'nl-ams-1', 'nl-ams-1'].map((region, i) => ({
      providerServerId: `s${i}`,
      name: `s${i}`,
      status: 'running',
      region,
      ipv4: i === 0 ? '192.0.2.1' : null,
    }))
    const c = sim.issueCredential({ servers })
    const par = await call(sim, '/instance/v1/zones/fr-par-1/servers', c)
    t.match(par.body, {
      servers: [
        { id: 's0', zone: 'fr-par-1', state: 'running', public_ip: { address: '192.0.2.1' } },
      ],
    })
    const ams = await call(sim, '/instance/v1/zones/nl-ams-1/servers?per_page=2&page=2', c)
    t.equal(ams.headers.get('x-total-count'), '3')
    t.match(ams.body, { servers: [{ id: 's3', public_ip: null }] })
    t.equal((await call(sim, '/instance/v1/zones/xx-nowhere-1/servers', c)).status, 404)
  })
})
