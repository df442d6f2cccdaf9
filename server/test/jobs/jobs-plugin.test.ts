import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance } from 'fastify'
import type { SweepCounts } from '../../src/domain/recheck/sweep.js'
import { build } from '../helper.js'
import { team } from '../support/fixtures.js'
import { simulators } from '../support/sims.js'
import { connectAll, heldClaims, makeDue, scheduledChecks } from './fixtures/recheck.js'

/** Never fires during a test: sweeps are started by hand with app.jobs.runRecheck(). */
const MANUAL = '0 0 1 1 *'

async function waitFor(what: string, ok: () => Promise<boolean>, ms = 60_000) {
  const deadline = Date.now() + ms
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(100)
  }
}

const checkedCount = async (app: FastifyInstance) =>
  [...(await scheduledChecks(app)).values()].reduce((a, b) => a + b, 0)

t.test('the jobs plugin sweeps in a bree worker on its schedule', async (t) => {
  const { config, sim } = await simulators(t, ['hetzner-cloud', 'digitalocean'])
  const { app, logs } = await build(t, {
    config: { ...config, RECHECK_SCHEDULE: 'every 1 second' },
  })
  const { workspaceId, owner } = await team(app)
  const accounts = await connectAll(
    app,
    owner,
    workspaceId,
    sim,
    ['hetzner-cloud', 'digitalocean'],
    1,
  )
  await makeDue(app)

  let counts: SweepCounts | undefined
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline && counts?.checked !== accounts.length)
    counts = await app.jobs.nextSweep()
  t.match(counts, { checked: 2, ok: 2, rejected: 0, unreachable: 0 })
  const checks = await scheduledChecks(app)
  for (const acc of accounts) t.equal(checks.get(acc.id), 1, `${acc.provider} checked once`)
  t.ok(
    logs.some((l) => l.includes('"msg":"recheck sweep finished"') && l.includes('"checked":2')),
    'the worker logs through the app logger',
  )
  const providers = await app.inject({ url: '/api/v1/providers', headers: owner.headers })
  t.type(providers.json().lastSweepAt, 'string')
  t.equal((await app.inject({ url: '/health/ready' })).statusCode, 200)
})

t.test('a worker killed mid-sweep: the next sweep completes every account', async (t) => {
  const { config, sim } = await simulators(t, ['hetzner-cloud'])
  const { app } = await build(t, {
    config: { ...config, RECHECK_SCHEDULE: MANUAL, RECHECK_CONCURRENCY: '1' },
  })
  const { workspaceId, owner } = await team(app)
  const accounts = await connectAll(app, owner, workspaceId, sim, ['hetzner-cloud'], 6)
  await makeDue(app)
  sim('hetzner-cloud').fault({ kind: 'latency', ms: 300 })

  const first = app.jobs.runRecheck()
  first.catch(() => undefined)
  await waitFor('two checks', async () => (await checkedCount(app)) >= 2)
  await app.jobs.bree?.workers.get('recheck')?.terminate()
  await t.rejects(first, 'the killed sweep reports no result')
  const done = await checkedCount(app)
  t.ok(done < accounts.length, `killed after ${done} checks`)
  t.ok((await heldClaims(app)) > 0, 'its claims are left behind')

  // The lease runs out (the clock moves instead of the test waiting 10 minutes).
  await app.orm.em.fork()
    .execute(`update cloud_accounts set claimed_until = now() - interval '1 second'
               where claimed_until is not null`)
  const second = await app.jobs.runRecheck()
  t.equal(done + second.checked, accounts.length, JSON.stringify(second))
  const checks = await scheduledChecks(app)
  for (const acc of accounts) t.equal(checks.get(acc.id), 1, 'every account checked exactly once')
  t.equal(await heldClaims(app), 0)
})
