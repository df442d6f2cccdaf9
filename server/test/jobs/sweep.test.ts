import t from 'tap'
import type { Fault } from '@cloudlink/e2e/simulators'
import { build } from '../helper.js'
import {
  connectAll,
  heldClaims,
  makeDue,
  memoryLog,
  requestCounts,
  scheduledChecks,
  statuses,
  sweep,
  sweepSetup,
} from './fixtures/recheck.js'

/**
 * The recheck sweep against every provider's simulator, run in-process (the worker runs the same
 * function: see jobs-plugin.test.ts). Statuses, history and shutdown: sweep-status.test.ts.
 */
t.test('recheck sweep: sharing and faults', async (t) => {
  const { sims, config, sim, a, workspaceId, owner, accounts, perCheck, reset } =
    await sweepSetup(t)
  // A deeper queue for one provider, so that two instances sweeping at once both get work.
  accounts.push(...(await connectAll(a.app, owner, workspaceId, sim, ['hetzner-cloud'], 8)))
  for (const [credential, n] of requestCounts(sims.values())) perCheck.set(credential, n)
  reset()
  const total = accounts.length
  t.equal(perCheck.size, total, 'one credential per account')

  t.test(
    'two instances on one database check every due account exactly once',
    {
      skip: a.app.config.embedded && 'two instances need a shared PostgreSQL (TEST_DATABASE_URL)',
    },
    async (t) => {
      const b = await build(t, { env: a.env, config: { ...config, RECHECK_SCHEDULE: 'off' } })
      await makeDue(a.app)
      const before = await scheduledChecks(a.app)
      // One check at a time, claimed one by one, each taking a while: neither instance can take
      // the 10 Hetzner Cloud accounts before the other one starts.
      sim('hetzner-cloud').fault({ kind: 'latency', ms: 150 })
      const [ca, cb] = await Promise.all([
        sweep(a.app, { batchSize: 1, concurrency: () => 1 }),
        sweep(b.app, { batchSize: 1, concurrency: () => 1 }),
      ])
      t.equal(ca.checked + cb.checked, total, JSON.stringify({ ca, cb }))
      t.ok(ca.checked > 0 && cb.checked > 0, 'both instances took part')
      t.same(requestCounts(sims.values()), perCheck, 'each credential was used for one check only')
      const after = await scheduledChecks(a.app)
      for (const acc of accounts)
        t.equal((after.get(acc.id) ?? 0) - (before.get(acc.id) ?? 0), 1, `${acc.provider} once`)
      t.equal(await heldClaims(a.app), 0, 'no claim left behind')
      const providers = await a.app.inject({ url: '/api/v1/providers', headers: owner.headers })
      t.ok(Date.now() - Date.parse(providers.json().lastSweepAt) < 60_000, 'lastSweepAt written')

      const again = await sweep(a.app)
      t.equal(again.checked, 0, 'nothing is due right after a sweep')
      reset()
    },
  )

  const faults: [string, Fault][] = [
    ['timeout', { kind: 'hang' }],
    ['reset', { kind: 'reset' }],
    ['500', { kind: 'status', status: 500 }],
    ['503', { kind: 'status', status: 503 }],
    ['429', { kind: 'rate-limit', retryAfter: 1 }],
    ['malformed', { kind: 'malformed' }],
  ]
  for (const [name, fault] of faults)
    t.test(`fault ${name} on every provider: nothing flips`, async (t) => {
      await makeDue(a.app)
      for (const s of sims.values()) s.fault(fault)
      const log = memoryLog()
      const counts = await sweep(a.app, { maxRetryWaitMs: 2_000, log })
      reset()
      t.same([...new Set((await statuses(a.app)).values())], ['connected'])
      if (fault.kind === 'rate-limit') {
        t.equal(counts.checked, 0, 'a rate limit is not a verdict: nothing recorded')
        t.equal(counts.deferred, total, 'every account is left due for the next sweep')
      } else t.equal(counts.unreachable, total, JSON.stringify(counts))
      t.equal(await heldClaims(a.app), 0)
      t.match(log.lines.at(-1), {
        level: 'info',
        msg: 'recheck sweep finished',
        obj: { checked: Number, ok: Number, rejected: 0, unreachable: Number, durationMs: Number },
      })
    })
})
