import t from 'tap'
import { createAccountsService } from '../../src/domain/cloud-accounts/accounts-service.js'
import { spendBudget } from '../../src/domain/budget/ledger.js'
import { runSweep } from '../../src/domain/recheck/sweep.js'
import { build, createTestDatabase } from '../helper.js'
import { team as newTeam } from '../support/fixtures.js'
import { simulators } from '../support/sims.js'
import { call, connect, newBroker } from './support.js'

/**
 * Hetzner Robot allows a web-service user 200 requests an hour. Checks and broker calls of every
 * instance spend from one ledger in the database, so the 200 hold across all of them: two
 * instances here, one database, and the sweep after them.
 */

const { env } = await createTestDatabase(t)
const { sim, config } = await simulators(t, ['hetzner-robot'])
const one = (await build(t, { env, config })).app
const two = (await build(t, { env, config })).app
const team = await newTeam(one)
const robot = sim('hetzner-robot')

t.test('the ledger never lets a window hold more than the budget', async (t) => {
  const em = one.orm.em.fork()
  const budget = { requests: 5, perMs: 1_000 }
  const key = `test:${Date.now()}`
  const start = 1_000_000_000
  const results = await Promise.all(
    Array.from({ length: 8 }, () => spendBudget(em, key, budget, start)),
  )
  t.equal(results.filter((r) => r === null).length, 5, 'five of eight concurrent spends')
  t.ok(
    results.every((r) => r === null || (r >= 1 && r <= 2)),
    'the rest learn the wait',
  )
  t.not(await spendBudget(em, key, budget, start + 999), null, 'still full within the window')
  t.equal(await spendBudget(em, key, budget, start + 1_051), null, 'free once it passed')
})

t.test('Robot: 200 requests an hour across two instances and the sweep', async (t) => {
  const credentials = robot.issueCredential()
  robot.clearRequests()
  const accountId = await connect(one, team, 'hetzner-robot', credentials)
  const connectRequests = robot.requests.length
  t.ok(connectRequests >= 1, `connecting spent ${connectRequests}`)
  const target = { workspaceId: team.workspaceId, accountId }

  const brokers = [newBroker(one), newBroker(two)]
  let ok = 0
  let refused: Awaited<ReturnType<typeof call>> | undefined
  for (let i = 0; i < 250 && !refused; i++) {
    // Alternate instances: each sees the other's spending.
    const instance = i % 2 === 0 ? one : two
    const res = await call(instance, brokers[i % 2]!, target, { path: '/server' })
    if (res.status === 200) ok++
    else refused = res
  }
  t.equal(ok + connectRequests, 200, `${ok} broker calls fit beside the connect`)
  t.equal(refused?.status, 429)
  t.equal(refused?.error?.code, 'RATE_LIMITED', 'our own refusal, not the provider passed on')
  const retryAfter = (refused?.error?.details as { retryAfter?: number } | undefined)?.retryAfter
  t.ok(
    retryAfter && retryAfter > 0 && retryAfter <= 3600 + 180,
    `Retry-After (an hour and at most a bucket) ${retryAfter} s`,
  )
  t.equal(robot.requests.length, 200, 'Robot itself never got a 201st request')

  const service = createAccountsService({
    em: two.orm.em.fork(),
    vault: two.vault,
    providers: two.providers,
  })
  const { account, result } = await service.recheck(team.workspaceId, accountId)
  t.match(result, { outcome: 'unreachable', reason: 'rate_limited' }, 'a manual check waits too')
  t.equal(account.status, 'connected', 'and says nothing about the credential')

  const counts = await runSweep({
    orm: one.orm,
    vault: one.vault,
    providers: one.providers,
    log: { info() {}, warn() {}, error() {} },
    period: 0,
    leaseMs: 60_000,
    concurrency: () => 1,
    maxRetryWaitMs: 10,
  })
  t.equal(counts.checked, 0, 'the sweep checks nothing on a spent budget')
  t.equal(robot.requests.length, 200, 'and sends nothing')
})
