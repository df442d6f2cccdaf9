import t from 'tap'
import { build } from '../helper.js'
import { team } from '../support/fixtures.js'

/**
 * A trial runs the daily sweep on demand: connect a demo credential, revoke it in the simulator,
 * POST /sandbox/sweep, and the account needs attention. Outside sandbox mode the route is absent.
 */
t.test('POST /sandbox/sweep checks every account now, in sandbox mode only', async (t) => {
  t.setTimeout(120_000)
  // A schedule that never fires during the test: the sweep runs because it is asked for.
  const { app } = await build(t, { config: { SANDBOX: '1', RECHECK_SCHEDULE: '0 0 1 1 *' } })
  const { workspaceId, owner, member } = await team(app)
  const providers = (await app.inject({ url: '/api/v1/providers', headers: owner.headers })).json()
  const demo = (
    providers.demoCredentials as {
      provider: string
      kind: string
      credentials: Record<string, string>
    }[]
  ).find((d) => d.provider === 'digitalocean' && d.kind === 'good')!
  const url = `/api/v1/workspaces/${workspaceId}/cloud-accounts`
  const created = await app.inject({
    method: 'POST',
    url,
    headers: owner.headers,
    payload: { provider: 'digitalocean', label: 'demo', credentials: demo.credentials },
  })
  t.equal(created.statusCode, 201, created.body)
  const id = created.json().id as string

  const sweep = () =>
    app.inject({ method: 'POST', url: '/api/v1/sandbox/sweep', headers: member.headers })
  const healthy = await sweep()
  t.equal(healthy.statusCode, 200, healthy.body)
  t.match(
    healthy.json(),
    { checked: 1, ok: 1, rejected: 0 },
    'the account just connected is checked again',
  )

  const revoked = await fetch(`${app.sandbox.urls.digitalocean}/__sim/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ credentials: demo.credentials }),
  })
  t.equal(revoked.status, 204)
  t.teardown(() =>
    fetch(`${app.sandbox.urls.digitalocean}/__sim/restore`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ credentials: demo.credentials }),
    }),
  )
  const found = await sweep()
  t.equal(found.statusCode, 200, found.body)
  t.match(found.json(), { checked: 1, rejected: 1 })
  const account = (await app.inject({ url: `${url}/${id}`, headers: owner.headers })).json()
  t.not(account.status, 'connected', `the revoked credential is found: ${account.status}`)

  const anonymous = await app.inject({ method: 'POST', url: '/api/v1/sandbox/sweep' })
  t.equal(anonymous.statusCode, 401)
})

t.test('no sandbox, no route', async (t) => {
  const { app } = await build(t)
  const { owner } = await team(app)
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/sandbox/sweep',
    headers: owner.headers,
  })
  t.equal(res.statusCode, 404)
})
