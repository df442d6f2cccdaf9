import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { build } from '../helper.js'
import { team } from '../support/fixtures.js'
import { simulators } from '../support/sims.js'
import { connectAll } from '../jobs/fixtures/recheck.js'
import {
  addWebhook,
  FAST_NOTIFY,
  notifyConfig,
  startReceiver,
  startSmtp,
  waitFor,
} from './support.js'

/**
 * `account.stale`: no successful check for 3 days, confirmed by a check after the 3-day mark;
 * reported once, and the next success reports the recovery. No check is involved in finding it:
 * the notify job looks for it on its own.
 */
t.test('stale once, then recovered', async (t) => {
  const smtp = await startSmtp(t)
  const receiver = await startReceiver(t)
  const { config, sim } = await simulators(t, ['hetzner-cloud'])
  const { app } = await build(t, {
    config: { ...config, ...notifyConfig(smtp.url), RECHECK_SCHEDULE: 'off' },
    app: { notify: FAST_NOTIFY },
  })
  const { workspaceId, owner } = await team(app)
  const [stale, early] = await connectAll(app, owner, workspaceId, sim, ['hetzner-cloud'], 2)
  await addWebhook(app, owner, workspaceId, receiver)
  const sql = app.orm.em.fork()
  // Only unreachable checks for 4 days, the latest an hour ago (the clock moves, nobody waits).
  await sql.execute(
    `update cloud_accounts set last_healthy_at = now() - interval '4 days',
            last_checked_at = now() - interval '1 hour' where id = ?`,
    [stale?.id],
  )
  // 3.5 days without success, but no check since the 3-day mark: the sweep may yet succeed.
  await sql.execute(
    `update cloud_accounts set last_healthy_at = now() - interval '84 hours',
            last_checked_at = now() - interval '84 hours' where id = ?`,
    [early?.id],
  )

  const event = await waitFor('the stale event', () => receiver.received[0])
  t.match(event.payload, {
    type: 'account.stale',
    data: { account: { id: stale?.id, status: 'connected', stale: true } },
  })
  t.ok(event.verified)
  const mail = await waitFor('the email', () => smtp.messages[0])
  t.match(mail.text, /has not been reachable for 3 days/)
  t.match(mail.text, /What to do: Cloudlink could not reach Hetzner Cloud/)
  await sleep(2_000)
  t.equal(receiver.received.length, 1, 'reported once; the unconfirmed account not at all')

  const recheck = await app.inject({
    method: 'POST',
    url: `/api/v1/workspaces/${workspaceId}/cloud-accounts/${stale?.id}/recheck`,
    headers: owner.headers,
  })
  t.equal(recheck.statusCode, 200)
  const recovered = await waitFor('the recovery', () => receiver.received[1])
  t.match(recovered.payload, {
    type: 'account.recovered',
    data: { account: { id: stale?.id, stale: false } },
  })
})
