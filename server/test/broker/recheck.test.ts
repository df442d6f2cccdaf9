import t from 'tap'
import { CheckEntity, CloudAccountEntity } from '../../src/db/entities/index.js'
import { claimDue } from '../../src/domain/recheck/claims.js'
import { brokerApp, call, connect } from './support.js'

/**
 * A provider that refuses the stored credential on a broker call (401) asks for a check of the
 * account; the broker itself never changes its status. Hetzner Cloud is checked at once; Hetzner
 * Robot, which blocks the server's IP after 3 failed logins, is left to the sweep.
 */

const { app, sim, broker, team } = await brokerApp(t, ['hetzner-cloud', 'hetzner-robot'])

const accountOf = (id: string) =>
  app.orm.em.fork().findOneOrFail(CloudAccountEntity, { id }, { refresh: true })
const checksOf = (id: string) =>
  app.orm.em.fork().find(CheckEntity, { accountId: id }, { orderBy: { at: 'asc' } })

t.test('hetzner-cloud: the 401 goes back, the account is checked, the check decides', async (t) => {
  const credentials = sim('hetzner-cloud').issueCredential()
  const accountId = await connect(app, team, 'hetzner-cloud', credentials)
  const target = { workspaceId: team.workspaceId, accountId }
  sim('hetzner-cloud').revoke(credentials)

  const res = await call(app, broker, target, { path: '/v1/servers' })
  t.equal(res.status, 401, 'the provider answer, as it is')
  t.match(res.text, /unauthorized/)
  await broker.settled()

  const account = await accountOf(accountId)
  t.ok(account.recheckRequestedAt, 'a check was asked for')
  const checks = await checksOf(accountId)
  t.equal(checks.at(-1)?.trigger, 'scheduled', 'and it ran')
  t.equal(checks.at(-1)?.outcome, 'rejected')
  t.equal(account.status, 'needs_attention', 'the check, not the broker, set the status')

  await call(app, broker, target, { path: '/v1/servers' })
  await broker.settled()
  t.equal(
    (await checksOf(accountId)).length,
    checks.length,
    'a second 401 soon after asks again for nothing',
  )
})

t.test('hetzner-robot: marked due for the sweep, status untouched', async (t) => {
  const credentials = sim('hetzner-robot').issueCredential()
  const accountId = await connect(app, team, 'hetzner-robot', credentials)
  sim('hetzner-robot').revoke(credentials)
  const before = (await checksOf(accountId)).length

  const res = await call(
    app,
    broker,
    { workspaceId: team.workspaceId, accountId },
    {
      path: '/server',
    },
  )
  t.equal(res.status, 401)
  await broker.settled()
  const account = await accountOf(accountId)
  t.equal(account.status, 'connected', 'unchanged until a check')
  t.equal((await checksOf(accountId)).length, before, 'no login attempt of ours after the refusal')
  t.ok(account.recheckRequestedAt, 'due for a check')

  const claims = await claimDue(app.orm, {
    provider: 'hetzner-robot',
    limit: 10,
    now: new Date(),
    period: 24 * 60 * 60 * 1000,
    leaseMs: 60_000,
  })
  t.ok(
    claims.some((c) => c.account.id === accountId),
    'the sweep takes it although its last check is recent',
  )
})
