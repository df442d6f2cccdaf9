import t from 'tap'
import { ErrorCode } from '@cloudlink/shared'
import { build } from '../helper.js'
import { team } from '../support/fixtures.js'
import {
  addWebhook,
  attemptsOf,
  FAST_NOTIFY,
  notifyConfig,
  startReceiver,
  waitFor,
  webhooksUrl,
} from './support.js'

/** The webhook routes (contract: Notifications) and the test button's signed delivery. */
t.test('webhooks: owner-managed, secret shown once, signed test delivery', async (t) => {
  const { app } = await build(t, {
    config: { ...notifyConfig(), RECHECK_SCHEDULE: 'off' },
    app: { notify: FAST_NOTIFY },
  })
  const { workspaceId, owner, member, outsider } = await team(app)
  const receiver = await startReceiver(t)
  const url = webhooksUrl(workspaceId)

  const created = await app.inject({
    method: 'POST',
    url,
    headers: owner.headers,
    payload: { url: receiver.url, events: ['account.needs_attention'], description: 'Pager' },
  })
  t.equal(created.statusCode, 201, created.body)
  const webhook = created.json()
  t.match(webhook.secret, /^whsec_[A-Za-z0-9+/]{43}=$/, 'whsec_ + base64 of 32 bytes')
  t.equal(Buffer.from(webhook.secret.slice(6), 'base64').length, 32)
  t.match(webhook, {
    url: receiver.url,
    events: ['account.needs_attention'],
    description: 'Pager',
    enabled: true,
    pending: 0,
    createdBy: { id: owner.user.id },
  })
  receiver.setSecret(webhook.secret)

  t.test('the secret is never shown again nor stored in plain text', async (t) => {
    const list = await app.inject({ url, headers: owner.headers })
    t.equal(list.statusCode, 200)
    t.equal(list.json().items.length, 1)
    t.notOk('secret' in list.json().items[0])
    t.notMatch(list.body, webhook.secret.slice(6, 20))
    const rows = await app.orm.em
      .fork()
      .execute<{ row: string }[]>(
        `select row_to_json(w)::text as row from webhooks w where id = ?`,
        [webhook.id],
      )
    t.notMatch(rows[0]?.row, webhook.secret.slice(6, 20), 'sealed in the vault')
    const audit = await app.inject({
      url: `/api/v1/workspaces/${workspaceId}/audit`,
      headers: owner.headers,
    })
    t.match(audit.json().items[0], { action: 'webhook.create', outcome: 'success' })
    t.notMatch(audit.body, '/hooks/cloudlink', 'only the origin goes into the trail')
  })

  t.test('members and outsiders cannot see or manage webhooks', async (t) => {
    const asMember = await app.inject({ url, headers: member.headers })
    t.equal(asMember.statusCode, 403)
    t.equal(asMember.json().code, ErrorCode.Forbidden)
    const asOutsider = await app.inject({ url, headers: outsider.headers })
    t.equal(asOutsider.statusCode, 404)
    const post = await app.inject({
      method: 'POST',
      url,
      headers: member.headers,
      payload: { url: receiver.url, events: ['account.expired'] },
    })
    t.equal(post.statusCode, 403)
    t.equal((await app.inject({ url })).statusCode, 401)
  })

  t.test('validation names the field', async (t) => {
    for (const payload of [
      { url: receiver.url, events: [] },
      { url: receiver.url, events: ['account.exploded'] },
      { url: 'not a url', events: ['account.expired'] },
      { url: receiver.url, events: ['account.expired'], secret: 'mine' },
    ]) {
      const res = await app.inject({ method: 'POST', url, headers: owner.headers, payload })
      t.equal(res.statusCode, 400, JSON.stringify(payload))
      t.equal(res.json().code, ErrorCode.ValidationFailed)
    }
  })

  t.test('POST /:id/test sends a signed test event; the log shows it', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: `${url}/${webhook.id}/test`,
      headers: owner.headers,
    })
    t.equal(res.statusCode, 202)
    const { id } = res.json()
    const got = await waitFor('the test delivery', () => receiver.received.find((r) => r.id === id))
    t.ok(got.verified, 'standardwebhooks verifies the signature')
    t.match(got.headers, {
      'webhook-id': id,
      'webhook-timestamp': /^\d+$/,
      'webhook-signature': /^v1,[A-Za-z0-9+/]+=*$/,
    })
    t.match(got.payload, { type: 'test', timestamp: String, data: { workspaceId } })
    const log = await waitFor('the log entry', async () => {
      const items = await attemptsOf(app, owner, workspaceId, webhook.id)
      return items.length > 0 && items
    })
    t.match(log[0], { id, event: 'test', attempt: 1, status: 'delivered', responseStatus: 200 })
    t.type(log[0]?.durationMs, 'number')
  })

  t.test('PATCH changes events and turns it off; DELETE removes it', async (t) => {
    const patched = await app.inject({
      method: 'PATCH',
      url: `${url}/${webhook.id}`,
      headers: owner.headers,
      payload: { events: ['account.expired', 'account.recovered'], enabled: false },
    })
    t.equal(patched.statusCode, 200, patched.body)
    t.match(patched.json(), { events: ['account.expired', 'account.recovered'], enabled: false })
    const empty = await app.inject({
      method: 'PATCH',
      url: `${url}/${webhook.id}`,
      headers: owner.headers,
      payload: {},
    })
    t.equal(empty.statusCode, 400)
    const other = await addWebhook(app, owner, workspaceId, receiver)
    const removed = await app.inject({
      method: 'DELETE',
      url: `${url}/${other.id}`,
      headers: owner.headers,
    })
    t.equal(removed.statusCode, 204)
    const again = await app.inject({
      method: 'DELETE',
      url: `${url}/${other.id}`,
      headers: owner.headers,
    })
    t.equal(again.statusCode, 404)
    t.equal(again.json().code, ErrorCode.NotFound)
    const elsewhere = await app.inject({
      url: `/api/v1/workspaces/${workspaceId}/webhooks/${webhook.id}/deliveries`,
      headers: outsider.headers,
    })
    t.equal(elsewhere.statusCode, 404)
  })
})

t.test('URL policy at save: https only, no private or special addresses', async (t) => {
  const { app } = await build(t, { config: { RECHECK_SCHEDULE: 'off' } })
  const { workspaceId, owner } = await team(app)
  const refuse = async (target: string, why: RegExp) => {
    const res = await app.inject({
      method: 'POST',
      url: webhooksUrl(workspaceId),
      headers: owner.headers,
      payload: { url: target, events: ['account.expired'] },
    })
    t.equal(res.statusCode, 400, `${target}: ${res.body}`)
    t.match(res.json(), { code: ErrorCode.ValidationFailed, details: [{ field: 'url' }] })
    t.match(res.json().message, why, target)
  }
  await refuse('http://93.184.215.14/hook', /https/)
  for (const target of [
    'https://127.0.0.1/hook',
    'https://10.1.2.3/hook',
    'https://172.16.0.1/hook',
    'https://192.168.1.10/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://100.64.0.1/hook',
    'https://0.0.0.0/hook',
    'https://224.0.0.1/hook',
    'https://[::1]/hook',
    'https://[fd00::1]/hook',
    'https://[fe80::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://[::ffff:10.0.0.1]/hook',
    'https://2130706433/hook',
    'https://localhost/hook',
  ])
    await refuse(target, /private|loopback|reserved|range/)
  await refuse('https://user:pass@93.184.215.14/hook', /user info/)

  const ok = await app.inject({
    method: 'POST',
    url: webhooksUrl(workspaceId),
    headers: owner.headers,
    payload: { url: 'https://93.184.215.14/hook', events: ['account.expired'] },
  })
  t.equal(ok.statusCode, 201, 'a public address is fine')
})
