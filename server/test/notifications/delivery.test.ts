import t from 'tap'
import { build } from '../helper.js'
import { team } from '../support/fixtures.js'
import { sendAttempt } from '../../src/domain/notifications/webhook-send.js'
import type { ResolvedAddress } from '../../src/domain/notifications/url-policy.js'
import {
  addWebhook,
  attemptsOf,
  FAST_NOTIFY,
  notifyConfig,
  startReceiver,
  startSmtp,
  waitFor,
  webhooksUrl,
} from './support.js'

/** At least once, the same webhook-id on every attempt, across failures and restarts. */

t.test('500, timeout and refused connection are retried under the same id', async (t) => {
  const { app } = await build(t, {
    config: { ...notifyConfig(), RECHECK_SCHEDULE: 'off' },
    app: { notify: FAST_NOTIFY },
  })
  const { workspaceId, owner } = await team(app)
  const receiver = await startReceiver(t)
  const webhook = await addWebhook(app, owner, workspaceId, receiver)
  const log = () => attemptsOf(app, owner, workspaceId, webhook.id)
  const attempt = (n: number) =>
    waitFor(`attempt ${n}`, async () => (await log()).find((a) => a.attempt === n))

  receiver.answer(500, 'hang')
  const res = await app.inject({
    method: 'POST',
    url: `${webhooksUrl(workspaceId)}/${webhook.id}/test`,
    headers: owner.headers,
  })
  const { id } = res.json() as { id: string }
  t.match(await attempt(1), { status: 'failed', error: 'receiver answered 500' })
  t.match(await attempt(2), { status: 'failed', error: 'timed out' })
  await receiver.stop()
  t.match(await attempt(3), { status: 'failed', error: 'connection refused' })
  await receiver.start()
  t.match(await attempt(4), { status: 'delivered', responseStatus: 200 })

  t.same(
    (await log()).map((a) => a.id),
    [id, id, id, id],
    'one webhook-id in the log',
  )
  t.equal(receiver.received.length, 3, 'the refused attempt never arrived')
  for (const r of receiver.received) {
    t.equal(r.id, id, 'the same webhook-id on every attempt')
    t.ok(r.verified, 'every signature verifies')
    t.equal(r.body, receiver.received[0]?.body, 'the same body on every attempt')
  }
})

t.test('a restart between attempts loses nothing', async (t) => {
  const config = { ...notifyConfig(), RECHECK_SCHEDULE: 'off' }
  const first = await build(t, { config, app: { notify: FAST_NOTIFY } })
  const { workspaceId, owner } = await team(first.app)
  const receiver = await startReceiver(t)
  const webhook = await addWebhook(first.app, owner, workspaceId, receiver)
  await receiver.stop()
  const res = await first.app.inject({
    method: 'POST',
    url: `${webhooksUrl(workspaceId)}/${webhook.id}/test`,
    headers: owner.headers,
  })
  const { id } = res.json() as { id: string }
  await waitFor('the first attempt', async () =>
    (await attemptsOf(first.app, owner, workspaceId, webhook.id)).some((a) => a.attempt === 1),
  )
  await first.app.close()

  await receiver.start()
  // Another instance on the same database; its retries come from the stored delivery alone.
  const second = await build(t, { env: first.env, config, app: { notify: FAST_NOTIFY } })
  const got = await waitFor('the retry after the restart', () =>
    receiver.received.find((r) => r.id === id),
  )
  t.ok(got.verified)
  t.equal(got.payload.type, 'test')
  const log = await attemptsOf(second.app, owner, workspaceId, webhook.id)
  t.match(log, [
    { id, attempt: 2, status: 'delivered' },
    { id, attempt: 1, status: 'failed' },
  ])
})

t.test('24 hours of failures turn the webhook off and tell the owners', async (t) => {
  const smtp = await startSmtp(t)
  const { app } = await build(t, {
    config: { ...notifyConfig(smtp.url), RECHECK_SCHEDULE: 'off' },
    app: { notify: FAST_NOTIFY },
  })
  const { workspaceId, owner, member } = await team(app)
  const receiver = await startReceiver(t)
  const webhook = await addWebhook(app, owner, workspaceId, receiver)
  await receiver.stop()
  await app.inject({
    method: 'POST',
    url: `${webhooksUrl(workspaceId)}/${webhook.id}/test`,
    headers: owner.headers,
  })
  await waitFor('the first failure', async () => {
    const [row] = await app.orm.em
      .fork()
      .execute<{ failing_since: Date | null }[]>(
        `select failing_since from webhooks where id = ?`,
        [webhook.id],
      )
    return row?.failing_since
  })
  // The clock moves instead of the test waiting a day.
  await app.orm.em
    .fork()
    .execute(`update webhooks set failing_since = now() - interval '25 hours' where id = ?`, [
      webhook.id,
    ])
  const mail = await waitFor('the email to owners', () => smtp.messages[0])
  t.same(mail.to, [owner.user.email], 'owners only')
  t.notOk(mail.to.includes(member.user.email))
  t.match(mail.subject, /webhook turned off/)
  t.match(mail.text, /failed for 24 hours/)
  t.match(mail.text, /connection refused/)
  const list = await app.inject({ url: webhooksUrl(workspaceId), headers: owner.headers })
  t.match(list.json().items[0], { enabled: false, disabledReason: /24 hours/, pending: 0 })

  const on = await app.inject({
    method: 'PATCH',
    url: `${webhooksUrl(workspaceId)}/${webhook.id}`,
    headers: owner.headers,
    payload: { enabled: true },
  })
  t.match(on.json(), { enabled: true, disabledReason: null, failingSince: null })
})

t.test('URL policy at delivery: a name now resolving to 127.0.0.1 is refused', async (t) => {
  const { app } = await build(t, {
    config: { WEBHOOK_ALLOW_HTTP: '1', RECHECK_SCHEDULE: 'off' },
    app: { notify: FAST_NOTIFY },
  })
  const { workspaceId, owner } = await team(app)
  const receiver = await startReceiver(t)
  const created = await app.inject({
    method: 'POST',
    url: webhooksUrl(workspaceId),
    headers: owner.headers,
    payload: { url: 'http://93.184.215.14:9/hook', events: ['account.expired'] },
  })
  t.equal(created.statusCode, 201)
  const { id: webhookId } = created.json() as { id: string }
  // Saved while the name pointed elsewhere; now it points at this machine (DNS rebinding).
  const port = new URL(receiver.url).port
  await app.orm.em
    .fork()
    .execute(`update webhooks set url = ? where id = ?`, [
      `http://localhost:${port}/hooks/cloudlink`,
      webhookId,
    ])
  await app.inject({
    method: 'POST',
    url: `${webhooksUrl(workspaceId)}/${webhookId}/test`,
    headers: owner.headers,
  })
  const [attempt] = await waitFor('the refused attempt', async () => {
    const log = await attemptsOf(app, owner, workspaceId, webhookId)
    return log.length > 0 && log
  })
  t.match(attempt, {
    status: 'failed',
    responseStatus: null,
    error: /refused: URL.*(127\.0\.0\.1|::1)/,
  })
  t.equal(receiver.received.length, 0, 'nothing reached the loopback receiver')
})

t.test('the connection goes to the checked address; the name is resolved once', async (t) => {
  const receiver = await startReceiver(t, '127.0.0.2')
  const port = new URL(receiver.url).port
  const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`
  receiver.setSecret(secret)
  const message = { id: 'evt-1', type: 'test' as const, at: new Date(), workspaceId: 'w', data: {} }
  const calls: string[] = []
  const answers: ResolvedAddress[][] = [
    [{ address: '127.0.0.2', family: 4 }],
    [{ address: '127.0.0.1', family: 4 }],
  ]
  const result = await sendAttempt({
    url: `http://hooks.example.test:${port}/hooks/cloudlink`,
    secret,
    message,
    policy: { allowHttp: true, allowPrivate: true },
    timeoutMs: 2_000,
    resolve: async (host) => {
      calls.push(host)
      return answers.shift() ?? []
    },
  })
  t.match(result, { ok: true, responseStatus: 200 })
  t.same(calls, ['hooks.example.test'], 'resolved once, before connecting')
  t.equal(receiver.received.length, 1, 'delivered to the address that was checked')
  t.equal(receiver.received[0]?.headers.host, `hooks.example.test:${port}`)
  t.ok(receiver.received[0]?.verified)

  const mixed = await sendAttempt({
    url: `http://hooks.example.test:${port}/hooks/cloudlink`,
    secret,
    message,
    policy: { allowHttp: true, allowPrivate: false },
    timeoutMs: 2_000,
    resolve: async () => [
      { address: '93.184.215.14', family: 4 },
      { address: '127.0.0.2', family: 4 },
    ],
  })
  t.match(mixed, { ok: false, responseStatus: null, error: /refused: URL.*127\.0\.0\.2/ })
  t.equal(receiver.received.length, 1, 'one private answer refuses the whole name')
})
