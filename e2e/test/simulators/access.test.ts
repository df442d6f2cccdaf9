import t from 'tap'
import { startSimulator } from '../../src/simulators/index.js'
import { call } from '../helpers/provider-cases.js'

/**
 * Scoped credentials (`CredentialOptions.access`), answered the way each provider tells: the
 * introspection bodies and headers, and the control API that registers them.
 */
t.test('Vultr: ACLs follow the access; a full key keeps its own', async (t) => {
  const sim = await startSimulator('vultr')
  t.teardown(() => sim.close())
  const acls = async (c: Record<string, string>) =>
    ((await call(sim, '/v2/account', c)).body as { account: { acls: string[] } }).account.acls
  t.same(await acls(sim.issueCredential()), ['manage_users', 'subscriptions', 'billing'])
  t.same(await acls(sim.issueCredential({ access: { compute: 'read', dns: 'write' } })), [
    'billing',
    'subscriptions_view',
    'dns',
    'objstore',
  ])
  const readOnly = await acls(
    sim.issueCredential({ access: { compute: 'read', dns: 'none', storage: 'none' } }),
  )
  t.notOk(readOnly.includes('provisioning'), 'a read-only key cannot provision')
})

t.test('Linode: X-OAuth-Scopes and profile grants', async (t) => {
  const sim = await startSimulator('linode')
  t.teardown(() => sim.close())
  const full = await call(sim, '/v4/profile', sim.issueCredential())
  t.equal(full.headers.get('x-oauth-scopes'), '*')
  const c = sim.issueCredential({ access: { compute: 'read', dns: 'none' } })
  const scoped = await call(sim, '/v4/profile', c)
  t.equal(
    scoped.headers.get('x-oauth-scopes'),
    'account:read_only linodes:read_only object_storage:read_write',
  )
  t.equal((await call(sim, '/v4/profile/grants', c)).status, 204, 'an unrestricted user: 204')
})

t.test('AWS: dry runs of writes answer by the access', async (t) => {
  const sim = await startSimulator('aws')
  t.teardown(() => sim.close())
  const dryRun = async (c: Record<string, string>) =>
    call(sim, '/', c, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=RunInstances&ImageId=ami-00000000000000000&InstanceType=t3.micro&MinCount=1&MaxCount=1&DryRun=true&Version=2016-11-15',
    })
  const allowed = await dryRun(sim.issueCredential())
  t.equal(allowed.status, 412)
  t.match(allowed.text, /<Code>DryRunOperation<\/Code>/)
  const denied = await dryRun(sim.issueCredential({ access: { compute: 'read' } }))
  t.equal(denied.status, 403)
  t.match(denied.text, /<Code>UnauthorizedOperation<\/Code>/)
})

t.test('control API: access is validated and registered', async (t) => {
  const sim = await startSimulator('vultr')
  t.teardown(() => sim.close())
  const put = (access: unknown) =>
    fetch(`${sim.url}/__sim/credentials`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ access }),
    })
  const bad = await put({ compute: 'admin' })
  t.equal(bad.status, 400)
  t.match(await bad.text(), /access/)
  const ok = await put({ compute: 'read' })
  t.equal(ok.status, 201, 'issued')
  const credentials = (await ok.json()) as Record<string, string>
  const body = (await call(sim, '/v2/account', credentials)).body as { account: { acls: string[] } }
  t.ok(body.account.acls.includes('subscriptions_view'))
})
