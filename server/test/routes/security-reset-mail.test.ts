import t from 'tap'
import { build } from '../helper.js'
import { team } from '../support/fixtures.js'
import { startSmtp } from '../notifications/support.js'

/**
 * With SMTP_URL set, an owner's reset link also reaches the person by mail (a real SMTP server on
 * loopback receives it); the owner still sees it once. Without mail, `mailed` says so.
 */
t.test('a reset link is mailed to the member when mail is configured', async (t) => {
  const smtp = await startSmtp(t)
  const { app } = await build(t, {
    config: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://cloudlink.example' },
  })
  const { workspaceId, owner, member } = await team(app)
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/workspaces/${workspaceId}/members/${member.user.id}/password-reset`,
    headers: owner.headers,
  })
  t.equal(res.statusCode, 201, res.body)
  const link = res.json() as { url: string; mailed: boolean }
  t.equal(link.mailed, true)
  t.equal(smtp.messages.length, 1)
  const [mail] = smtp.messages
  t.same(mail?.to, [member.user.email.toLowerCase()], 'to the member only')
  t.ok(mail?.text.includes(link.url), 'the same link the owner was shown')
  t.match(mail?.text, /works once and expires/)
})

t.test('no mail configured: the owner hands the link over', async (t) => {
  const { app } = await build(t)
  const { workspaceId, owner, member } = await team(app)
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/workspaces/${workspaceId}/members/${member.user.id}/password-reset`,
    headers: owner.headers,
  })
  t.equal(res.statusCode, 201, res.body)
  t.equal(res.json().mailed, false)
})
