import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { build } from '../helper.js'
import { team } from '../support/fixtures.js'
import { recordEvent } from '../../src/domain/notifications/events.js'
import { addWebhook, FAST_NOTIFY, notifyConfig, startReceiver, waitFor } from './support.js'

const EVENTS = 200

/**
 * Two instances on one database share the outbox through SKIP LOCKED claims: 200 events, each
 * delivered exactly once between them, every signature verified.
 */
t.test('two instances deliver each of 200 events exactly once', async (t) => {
  const config = { ...notifyConfig(), RECHECK_SCHEDULE: 'off' }
  const notify = { ...FAST_NOTIFY, concurrency: 4 }
  const a = await build(t, { config, app: { notify } })
  if (a.app.config.embedded) {
    t.skip('two instances need a shared PostgreSQL (TEST_DATABASE_URL)')
    return
  }
  const b = await build(t, { env: a.env, config, app: { notify } })
  const { workspaceId, owner } = await team(a.app)
  const receiver = await startReceiver(t)
  await addWebhook(a.app, owner, workspaceId, receiver, ['account.expired'])
  // Each answer takes a moment, so neither instance can empty the outbox alone.
  receiver.setDelay(20)

  // Written the way a check writes them: inside a transaction, through the outbox.
  const ids = await a.app.orm.em.fork().transactional(async (tx) => {
    const out: string[] = []
    for (let i = 0; i < EVENTS; i++)
      out.push(
        await recordEvent(tx, {
          workspaceId,
          type: 'account.expired',
          accountId: crypto.randomUUID(),
          data: {},
        }),
      )
    return out
  })

  await waitFor('200 deliveries', () => receiver.received.length >= EVENTS, 120_000)
  await sleep(1_500)
  const seen = new Map<string, number>()
  for (const r of receiver.received) seen.set(r.id, (seen.get(r.id) ?? 0) + 1)
  t.equal(receiver.received.length, EVENTS, 'no event twice')
  t.same([...seen.keys()].sort(), [...ids].sort(), 'every event once')
  t.ok(
    receiver.received.every((r) => r.verified),
    'every signature verifies',
  )
  const [row] = await a.app.orm.em.fork().execute<{ delivered: number; attempts: number }[]>(
    `select count(*) filter (where status = 'delivered')::int as delivered,
              coalesce(sum(attempts), 0)::int as attempts from webhook_deliveries`,
  )
  t.match(row, { delivered: EVENTS, attempts: EVENTS })
  // Each instance reports its counts when its run ends (after a few idle seconds).
  const total = () => a.app.jobs.notify.totals.attempts + b.app.jobs.notify.totals.attempts
  await waitFor('both runs to report', () => total() >= EVENTS)
  const byA = a.app.jobs.notify.totals.attempts
  const byB = b.app.jobs.notify.totals.attempts
  t.equal(byA + byB, EVENTS, `A ${byA} + B ${byB}`)
  t.ok(byA > 0 && byB > 0, 'both instances took part')
})
