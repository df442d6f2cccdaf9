import t from 'tap'
import { SCALEWAY_ZONES } from '../../src/providers/scaleway/index.js'
import { invalidField, simContext } from './sim-context.js'

/** Scaleway: the secret authenticates, the access key must be its own, servers live in zones. */
t.test('scaleway', async (t) => {
  const { sim, module, ctx } = await simContext(t, 'scaleway')
  t.beforeEach(() => sim.clearRequests())

  t.test('verified: the API key read with its own secret names its owner', async (t) => {
    const raw = sim.issueCredential({ identity: { id: '11111111-2222-4333-a444-555555555555' } })
    t.same(await module.verify(ctx, module.validate(raw)), {
      outcome: 'verified',
      identity: { id: '11111111-2222-4333-a444-555555555555' },
      warnings: [],
    })
    t.match(sim.requests[0], {
      path: `/iam/v1alpha1/api-keys/${raw.accessKey}`,
      headers: { 'x-auth-token': raw.secretKey },
    })
  })

  t.test('a secret paired with another access key is rejected saying so', async (t) => {
    const a = sim.issueCredential()
    const b = sim.issueCredential()
    const result = await module.verify(
      ctx,
      module.validate({ accessKey: b.accessKey!, secretKey: a.secretKey! }),
    )
    t.match(result, {
      outcome: 'rejected',
      providerStatus: 404,
      providerCode: 'not_found',
      reason: /secret key works, but access key ••••\w{4} is not the API key it belongs to/,
    })
  })

  t.test('an unknown secret: 401 denied_authentication, its reason explained', async (t) => {
    const c = sim.issueCredential()
    sim.revoke(c)
    t.match(await module.verify(ctx, module.validate(c)), {
      outcome: 'rejected',
      providerStatus: 401,
      providerCode: 'not_found',
      reason: /no API key has this secret key/,
    })
  })

  t.test('no IAM read: verified with a warning; no Instances read: list rejected', async (t) => {
    const c = module.validate(sim.issueCredential({ scopes: 'insufficient' }))
    t.match(await module.verify(ctx, c), {
      outcome: 'verified',
      identity: null,
      warnings: [/could not confirm that the access key belongs to this secret key/],
    })
    t.match(await module.listServers(ctx, c), {
      outcome: 'rejected',
      providerStatus: 403,
      providerCode: 'permissions_denied',
      reason: /grant InstancesReadOnly/,
    })
  })

  t.test('servers from every zone, each with its zone as region', async (t) => {
    const server = (id: string, region: string, ipv4: string | null) => ({
      providerServerId: id,
      name: `s-${id}`,
      status: 'running',
      region,
      ipv4,
    })
    const c = sim.issueCredential({
      servers: [
        server('a1', 'fr-par-1', '192.0.2.1'),
        server('a2', 'nl-ams-1', null),
        server('a3', 'pl-waw-2', '192.0.2.3'),
      ],
    })
    const result = await module.listServers(ctx, module.validate(c))
    t.same(result, {
      outcome: 'listed',
      servers: [
        {
          providerServerId: 'a1',
          name: 's-a1',
          status: 'running',
          region: 'fr-par-1',
          ipv4: '192.0.2.1',
        },
        { providerServerId: 'a2', name: 's-a2', status: 'running', region: 'nl-ams-1', ipv4: null },
        {
          providerServerId: 'a3',
          name: 's-a3',
          status: 'running',
          region: 'pl-waw-2',
          ipv4: '192.0.2.3',
        },
      ],
    })
    t.same(
      sim.requests.map((r) => r.path.split('/')[4]).sort(),
      [...SCALEWAY_ZONES].sort(),
      'one request per zone',
    )
  })

  t.test('a zone with more servers than a page is read page by page', async (t) => {
    const servers = Array.from({ length: 130 }, (_, i) => ({
      providerServerId: `p${i}`,
      name: `p${i}`,
      status: 'stopped',
      region: 'fr-par-2',
      ipv4: null,
    }))
    const result = await module.listServers(ctx, module.validate(sim.issueCredential({ servers })))
    t.equal(result.outcome === 'listed' && result.servers.length, 130)
    t.equal(sim.requests.filter((r) => r.path.includes('/fr-par-2/')).length, 2)
  })

  t.test('format and hint: the access key is shown masked, the secret never', async (t) => {
    const c = sim.issueCredential()
    t.equal(invalidField(module, { ...c, accessKey: 'scw123' }), 'credentials.accessKey')
    t.equal(invalidField(module, { accessKey: c.accessKey! }), 'credentials.secretKey')
    const hint = module.hint(module.validate(c))
    t.equal(hint, `••••${c.accessKey!.slice(-4)}`)
  })
})
