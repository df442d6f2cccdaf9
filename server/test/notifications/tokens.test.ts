import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { build } from '../helper.js'
import { team } from '../support/fixtures.js'
import { mintToken } from '../support/tokens.js'
import {
  addWebhook,
  FAST_NOTIFY,
  notifyConfig,
  startReceiver,
  startSmtp,
  waitFor,
  webhooksUrl,
} from './support.js'

/** `token.expiring`: once per API token that expires within 7 days, never its value. */
t.test('an API token expiring within 7 days is announced once', async (t) => {
  const smtp = await startSmtp(t)
  const receiver = await startReceiver(t)
  const { app } = await build(t, {
    config: { ...notifyConfig(smtp.url), RECHECK_SCHEDULE: 'off' },
    app: { notify: FAST_NOTIFY },
  })
  const crew = await team(app)
  await addWebhook(app, crew.owner, crew.workspaceId, receiver, ['token.expiring'])
  const soon = await mintToken(app, crew, { name: 'Deploy bot', expiresInDays: 5 })
  await mintToken(app, crew, { name: 'Later', expiresInDays: 30 })
  const revoked = await mintToken(app, crew, { name: 'Gone', expiresInDays: 3 })
  const del = await app.inject({
    method: 'DELETE',
    url: `/api/v1/workspaces/${crew.workspaceId}/api-tokens/${revoked.created.id}`,
    headers: crew.owner.headers,
  })
  t.equal(del.statusCode, 204)

  const event = await waitFor('the token.expiring event', () => receiver.received[0])
  t.ok(event.verified)
  t.match(event.payload, {
    type: 'token.expiring',
    data: {
      workspaceId: crew.workspaceId,
      token: { id: soon.created.id, name: 'Deploy bot', hint: soon.created.hint },
    },
  })
  t.notMatch(event.body, soon.token, 'never the token itself')
  const mail = await waitFor('the email', () => smtp.messages[0])
  t.same(mail.to, [crew.owner.user.email])
  t.match(mail.subject, /API token "Deploy bot" expires on/)
  t.match(mail.text, /Create a new token with the same scopes/)
  t.match(mail.text, `/w/${crew.workspaceId}/settings/api-tokens`)
  t.notMatch(mail.text, soon.token)
  await sleep(2_000)
  t.equal(receiver.received.length, 1, 'once per token; not for a later or a revoked one')
  t.equal(smtp.messages.length, 1)

  // The notifications routes are for people: an API token never reaches them.
  const asToken = await app.inject({ url: webhooksUrl(crew.workspaceId), headers: soon.headers })
  t.equal(asToken.statusCode, 403)
  t.equal(asToken.json().code, 'TOKEN_SCOPE')
})
