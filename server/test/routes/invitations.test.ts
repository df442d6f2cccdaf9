import t from 'tap'
import { randomUUID } from 'node:crypto'
import { InvitationEntity } from '../../src/db/entities/index.js'
import { build } from '../helper.js'
import { team } from '../support/fixtures.js'
import { invite } from '../support/routes.js'
import { mintToken } from '../support/tokens.js'

const { app } = await build(t)

const url = (workspaceId: string) => `/api/v1/workspaces/${workspaceId}/invitations`
const freshEmail = () => `pending-${randomUUID().slice(0, 8)}@example.test`

t.test('GET invitations lists the pending ones for owners, never a token', async (t) => {
  const tm = await team(app)
  const first = freshEmail()
  const second = freshEmail()
  const firstToken = await invite(app, tm, first, 'owner')
  await invite(app, tm, second)
  const accepted = await invite(app, tm)
  const join = await app.inject({
    method: 'POST',
    url: `/api/v1/invitations/${accepted}/accept`,
    payload: { name: 'Joined Already', password: 'a long enough password' },
  })
  t.equal(join.statusCode, 201)

  const res = await app.inject({ url: url(tm.workspaceId), headers: tm.owner.headers })
  t.equal(res.statusCode, 200)
  const items = res.json().items as Record<string, unknown>[]
  t.same(
    items.map((i) => i.email),
    [second, first],
    'pending only (not the accepted one), newest first',
  )
  t.match(items[1], {
    id: String,
    email: first,
    role: 'owner',
    expiresAt: String,
    createdAt: String,
    invitedBy: { id: tm.owner.user.id, name: tm.owner.user.name, email: tm.owner.user.email },
  })
  t.notOk(res.body.includes(firstToken), 'the token is not in the list')
  t.notOk('token' in items[0]! || 'tokenHash' in items[0]!, 'no token field at all')

  const other = await team(app)
  const elsewhere = await app.inject({ url: url(other.workspaceId), headers: other.owner.headers })
  t.same(elsewhere.json().items, [], "another workspace's invitations are not listed")
})

t.test('GET invitations: members, outsiders, anonymous and tokens are refused', async (t) => {
  const tm = await team(app)
  const asMember = await app.inject({ url: url(tm.workspaceId), headers: tm.member.headers })
  t.equal(asMember.statusCode, 403)
  t.equal(asMember.json().code, 'FORBIDDEN')
  const asOutsider = await app.inject({ url: url(tm.workspaceId), headers: tm.outsider.headers })
  t.equal(asOutsider.statusCode, 404)
  const anonymous = await app.inject({ url: url(tm.workspaceId) })
  t.equal(anonymous.statusCode, 401)
  const { created } = await mintToken(app, tm)
  const withToken = await app.inject({
    url: url(tm.workspaceId),
    headers: { authorization: `Bearer ${created.token}` },
  })
  t.equal(withToken.statusCode, 403)
  t.equal(withToken.json().code, 'TOKEN_SCOPE')
  const badId = await app.inject({
    method: 'DELETE',
    url: `${url(tm.workspaceId)}/not-a-uuid`,
    headers: tm.owner.headers,
  })
  t.equal(badId.statusCode, 400, 'a malformed invitation id is refused')
  t.equal(badId.json().code, 'VALIDATION_FAILED')
})

t.test('DELETE an invitation: the link stops working, and the trail says so', async (t) => {
  const tm = await team(app)
  const email = freshEmail()
  const token = await invite(app, tm, email)
  const [pending] = (
    await app.inject({ url: url(tm.workspaceId), headers: tm.owner.headers })
  ).json().items as { id: string }[]

  const byMember = await app.inject({
    method: 'DELETE',
    url: `${url(tm.workspaceId)}/${pending!.id}`,
    headers: tm.member.headers,
  })
  t.equal(byMember.statusCode, 403, 'a member cannot revoke')

  const res = await app.inject({
    method: 'DELETE',
    url: `${url(tm.workspaceId)}/${pending!.id}`,
    headers: tm.owner.headers,
  })
  t.equal(res.statusCode, 204)
  const preview = await app.inject({ url: `/api/v1/invitations/${token}` })
  t.equal(preview.statusCode, 404, 'the link no longer works')
  t.same(preview.json().details, { reason: 'invitation_invalid' })
  const accept = await app.inject({
    method: 'POST',
    url: `/api/v1/invitations/${token}/accept`,
    payload: { name: 'Too Late', password: 'a long enough password' },
  })
  t.equal(accept.statusCode, 404, 'nor can it be accepted')
  const list = await app.inject({ url: url(tm.workspaceId), headers: tm.owner.headers })
  t.same(list.json().items, [], 'gone from the list')

  const again = await app.inject({
    method: 'DELETE',
    url: `${url(tm.workspaceId)}/${pending!.id}`,
    headers: tm.owner.headers,
  })
  t.equal(again.statusCode, 404, 'revoking twice: not found')
  t.equal(again.json().code, 'NOT_FOUND')

  const audit = await app.inject({
    url: `/api/v1/workspaces/${tm.workspaceId}/audit`,
    headers: tm.owner.headers,
  })
  const entries = audit.json().items as { action: string; outcome: string; message?: string }[]
  t.match(
    entries.find((e) => e.action === 'member.invite_revoke' && e.outcome === 'success'),
    { message: `Revoked the invitation of ${email} as member` },
  )
})

t.test('DELETE: an accepted invitation or one of another workspace is not found', async (t) => {
  const tm = await team(app)
  const token = await invite(app, tm)
  await app.inject({
    method: 'POST',
    url: `/api/v1/invitations/${token}/accept`,
    payload: { name: 'Joined', password: 'a long enough password' },
  })
  const em = app.orm.em.fork()
  const accepted = await em.findOneOrFail(InvitationEntity, {
    workspaceId: tm.workspaceId,
    acceptedAt: { $ne: null },
  })
  const res = await app.inject({
    method: 'DELETE',
    url: `${url(tm.workspaceId)}/${accepted.id}`,
    headers: tm.owner.headers,
  })
  t.equal(res.statusCode, 404, 'accepted invitations are history')
  t.ok(await em.fork().findOne(InvitationEntity, { id: accepted.id }), 'and stay recorded')

  const other = await team(app)
  await invite(app, other)
  const [theirs] = (
    await app.inject({ url: url(other.workspaceId), headers: other.owner.headers })
  ).json().items as { id: string }[]
  const cross = await app.inject({
    method: 'DELETE',
    url: `${url(tm.workspaceId)}/${theirs!.id}`,
    headers: tm.owner.headers,
  })
  t.equal(cross.statusCode, 404, "an owner cannot revoke another workspace's invitation")
  const still = await app.inject({ url: url(other.workspaceId), headers: other.owner.headers })
  t.equal(still.json().items.length, 1)
})
