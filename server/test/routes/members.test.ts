import t from 'tap'
import { randomUUID } from 'node:crypto'
import { InvitationEntity } from '../../src/db/entities/index.js'
import { invitationMail } from '../../src/domain/members/invitation-mail.js'
import { build } from '../helper.js'
import { team, type Session } from '../support/fixtures.js'
import { invite } from '../support/routes.js'

const DAY_MS = 24 * 60 * 60 * 1000
const newPassword = 'a brand new long password'

const { app } = await build(t)

const wsUrl = (workspaceId: string) => `/api/v1/workspaces/${workspaceId}`
const freshEmail = () => `new-${randomUUID().slice(0, 8)}@example.test`
const accept = (token: string, payload: object, who?: Session) =>
  app.inject({
    method: 'POST',
    url: `/api/v1/invitations/${token}/accept`,
    payload,
    ...(who ? { headers: who.headers } : {}),
  })
const members = async (workspaceId: string, who: Session) => {
  const res = await app.inject({ url: `${wsUrl(workspaceId)}/members`, headers: who.headers })
  return res.json().items as { user: { id: string; email: string }; role: string }[]
}
const roleOf = async (workspaceId: string, who: Session, userId: string) =>
  (await members(workspaceId, who)).find((m) => m.user.id === userId)?.role

t.test('GET members lists every member with role and joinedAt', async (t) => {
  const { workspaceId, owner, member, outsider } = await team(app)
  const res = await app.inject({ url: `${wsUrl(workspaceId)}/members`, headers: member.headers })
  t.equal(res.statusCode, 200)
  t.match(res.json().items, [
    { user: owner.user, role: 'owner', joinedAt: String },
    { user: member.user, role: 'member', joinedAt: String },
  ])
  t.equal(res.json().items.length, 2, 'the outsider is not listed')
  t.notOk(res.body.includes(outsider.user.id))
})

t.test('POST invitations', async (t) => {
  const { workspaceId, owner, member } = await team(app)
  const url = `${wsUrl(workspaceId)}/invitations`
  const email = freshEmail()

  const res = await app.inject({
    method: 'POST',
    url,
    headers: owner.headers,
    payload: { email: email.toUpperCase(), role: 'member' },
  })
  t.equal(res.statusCode, 201)
  const body = res.json()
  t.match(body, { id: String, email, role: 'member', token: String, url: String })
  t.ok(body.token.length >= 32, 'the token is long enough not to be guessed')
  t.ok(body.url.endsWith(`/invite/${body.token}`), 'the url carries the token')
  const expiresIn = Date.parse(body.expiresAt) - Date.now()
  t.ok(Math.abs(expiresIn - 7 * DAY_MS) < 60_000, `expires in about 7 days (${expiresIn} ms)`)

  const byMember = await app.inject({
    method: 'POST',
    url,
    headers: member.headers,
    payload: { email: freshEmail(), role: 'member' },
  })
  t.equal(byMember.statusCode, 403)
  t.equal(byMember.json().code, 'FORBIDDEN')

  const existing = await app.inject({
    method: 'POST',
    url,
    headers: owner.headers,
    payload: { email: member.user.email, role: 'owner' },
  })
  t.equal(existing.statusCode, 409, 'inviting someone who is already a member')
  t.equal(existing.json().code, 'CONFLICT')
  t.same(existing.json().details, { reason: 'already_member' })
})

t.test('accepting as a new user creates the account with the invited role', async (t) => {
  const tm = await team(app)
  const email = freshEmail()
  const token = await invite(app, tm, email, 'owner')

  const preview = await app.inject({ url: `/api/v1/invitations/${token}` })
  t.equal(preview.statusCode, 200)
  t.match(preview.json(), { email, role: 'owner', workspace: { id: tm.workspaceId } })

  const res = await accept(token, { name: 'Nina Newcomer', password: newPassword })
  t.equal(res.statusCode, 201)
  t.match(res.json(), {
    user: { id: String, email, name: 'Nina Newcomer' },
    workspace: { id: tm.workspaceId },
  })
  const userId = res.json().user.id
  t.equal(await roleOf(tm.workspaceId, tm.owner, userId), 'owner')

  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: newPassword },
  })
  t.equal(login.statusCode, 200, 'the new user can sign in')
  const me = await app.inject({
    url: '/api/v1/me',
    headers: { authorization: `Bearer ${login.json().token}` },
  })
  t.match(me.json().workspaces, [{ id: tm.workspaceId, role: 'owner' }])
  t.equal(me.json().workspaces.length, 1, "a member of the invitation's workspace only")

  const reused = await accept(token, { name: 'Someone Else', password: newPassword })
  t.equal(reused.statusCode, 404, 'an invitation works once')
  t.equal(reused.json().code, 'NOT_FOUND')
  t.same(reused.json().details, { reason: 'invitation_used' }, 'the holder learns it was used')
  const previewUsed = await app.inject({ url: `/api/v1/invitations/${token}` })
  t.same(previewUsed.json().details, { reason: 'invitation_used' })
})

t.test('with mail configured, the link goes to the invited address', async (t) => {
  const tm = await team(app)
  const email = freshEmail()
  const em = app.orm.em.fork()
  const token = await invite(app, tm, email, 'owner')
  const invitation = await em.findOneOrFail(InvitationEntity, { email })
  const url = `http://cloudlink.test/invite/${token}`
  const mail = await invitationMail(em, { invitation, inviter: tm.owner.user, url })
  t.equal(mail.to, email)
  t.match(mail.subject, /Olivia Owner invited you to Acme/)
  t.match(mail.text, url)
  t.match(mail.text, /as an owner/)
})

t.test('an expired invitation is refused', async (t) => {
  const tm = await team(app)
  const email = freshEmail()
  const token = await invite(app, tm, email)
  const em = app.orm.em.fork()
  await em.nativeUpdate(InvitationEntity, { email }, { expiresAt: new Date(Date.now() - 1000) })

  const preview = await app.inject({ url: `/api/v1/invitations/${token}` })
  t.equal(preview.statusCode, 404)
  t.same(preview.json().details, { reason: 'invitation_expired' }, 'the holder learns it expired')
  const res = await accept(token, { name: 'Late Larry', password: newPassword })
  t.equal(res.statusCode, 404)
  t.equal(res.json().code, 'NOT_FOUND')
  t.same(res.json().details, { reason: 'invitation_expired' })
  const bogus = await app.inject({ url: `/api/v1/invitations/${'x'.repeat(43)}` })
  t.same(bogus.json().details, { reason: 'invitation_invalid' }, 'an unknown token is just invalid')
})

t.test('a signed-in invitee joins with the account it has', async (t) => {
  const tm = await team(app)
  const token = await invite(app, tm, tm.outsider.user.email, 'member')

  const anonymous = await accept(token, { name: 'Impostor', password: newPassword })
  const bogus = await accept('x'.repeat(43), { name: 'Impostor', password: newPassword })
  t.equal(anonymous.statusCode, 404, 'an existing account cannot be joined without its session')
  t.same(
    { ...anonymous.json(), requestId: null },
    { ...bogus.json(), requestId: null },
    'the same answer as an invalid token: nothing tells that the address has an account',
  )
  const other = await accept(token, {}, tm.member)
  t.equal(other.statusCode, 409, 'another user cannot accept it')
  t.equal(other.json().code, 'CONFLICT')
  t.same(other.json().details, { reason: 'invitation_other_email' })
  const otherForNew = await accept(await invite(app, tm, freshEmail()), {}, tm.member)
  t.same(
    { ...other.json(), requestId: null },
    { ...otherForNew.json(), requestId: null },
    'the same answer whether or not the invited address has an account',
  )
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: tm.outsider.user.email, password: newPassword },
  })
  t.equal(login.statusCode, 401, 'the impostor set no password')

  const res = await accept(token, {}, tm.outsider)
  t.equal(res.statusCode, 201)
  t.equal(res.json().user.id, tm.outsider.user.id, 'no second account was created')
  const me = await app.inject({ url: '/api/v1/me', headers: tm.outsider.headers })
  t.match(me.json().workspaces, [
    { name: 'Elsewhere', role: 'owner' },
    { id: tm.workspaceId, role: 'member' },
  ])
})

t.test('a refused accept costs no password hashing', async (t) => {
  const tm = await team(app)
  const forOutsider = await invite(app, tm, tm.outsider.user.email)
  const forNewcomer = await invite(app, tm, freshEmail())
  const hashed = app.passwords.stats().started
  const refused = [
    await accept('x'.repeat(43), { name: 'Nobody', password: newPassword }),
    await accept(forOutsider, { name: 'Impostor', password: newPassword }),
    await accept(forNewcomer, { name: 'Someone', password: newPassword }, tm.member),
    await accept(forNewcomer, { password: newPassword }),
  ]
  t.same(
    refused.map((res) => res.statusCode),
    [404, 404, 409, 400],
  )
  t.equal(app.passwords.stats().started, hashed, 'no password was hashed')
})

t.test('role changes and the last owner', async (t) => {
  const { workspaceId, owner, member } = await team(app)
  const memberUrl = (s: Session) => `${wsUrl(workspaceId)}/members/${s.user.id}`
  const patch = (who: Session, target: Session, role: string) =>
    app.inject({ method: 'PATCH', url: memberUrl(target), headers: who.headers, payload: { role } })

  const byMember = await patch(member, member, 'owner')
  t.equal(byMember.statusCode, 403, 'a member cannot promote itself')

  const demoteLast = await patch(owner, owner, 'member')
  t.equal(demoteLast.statusCode, 409)
  t.equal(demoteLast.json().code, 'CONFLICT')
  t.same(demoteLast.json().details, { reason: 'last_owner' })
  const removeLast = await app.inject({
    method: 'DELETE',
    url: memberUrl(owner),
    headers: owner.headers,
  })
  t.equal(removeLast.statusCode, 409)
  t.equal(removeLast.json().code, 'CONFLICT')
  t.same(removeLast.json().details, { reason: 'last_owner' })
  t.equal(
    await roleOf(workspaceId, owner, owner.user.id),
    'owner',
    'the last owner is still an owner',
  )

  const promoted = await patch(owner, member, 'owner')
  t.equal(promoted.statusCode, 200)
  t.match(promoted.json(), { user: { id: member.user.id }, role: 'owner' })

  const demoted = await patch(owner, owner, 'member')
  t.equal(demoted.statusCode, 200, 'one of two owners can step down')
  t.equal(demoted.json().role, 'member')
  t.equal(await roleOf(workspaceId, member, owner.user.id), 'member')
})

t.test('two owners demoting each other at once leave one owner', async (t) => {
  // Several workspaces at once, so the two requests of a pair really do overlap somewhere.
  const outcomes = await Promise.all(
    Array.from({ length: 5 }, async () => {
      const { workspaceId, owner, member } = await team(app)
      const url = (s: Session) => `${wsUrl(workspaceId)}/members/${s.user.id}`
      const demote = (who: Session, target: Session) =>
        app.inject({
          method: 'PATCH',
          url: url(target),
          headers: who.headers,
          payload: { role: 'member' },
        })
      await app.inject({
        method: 'PATCH',
        url: url(member),
        headers: owner.headers,
        payload: { role: 'owner' },
      })
      const results = await Promise.all([demote(owner, member), demote(member, owner)])
      const list = await app.inject({
        url: `${wsUrl(workspaceId)}/members`,
        headers: owner.headers,
      })
      const owners = (list.json().items as { role: string }[]).filter((m) => m.role === 'owner')
      return { statuses: results.map((r) => r.statusCode).sort(), owners: owners.length }
    }),
  )
  for (const { statuses, owners } of outcomes) {
    // The loser either hits the last-owner rule (409) or, if the winner committed before its own
    // access check ran, is already a member and may no longer change roles (403).
    t.equal(statuses[0], 200, 'one wins')
    t.ok(statuses[1] === 409 || statuses[1] === 403, 'the other is refused')
    t.equal(owners, 1, 'the workspace keeps exactly one owner')
  }
})

t.test('an owner who is demoted or removed takes their pending invitations along', async (t) => {
  const tm = await team(app)
  const { workspaceId, owner, member } = tm
  const setRole = (role: string) =>
    app.inject({
      method: 'PATCH',
      url: `${wsUrl(workspaceId)}/members/${member.user.id}`,
      headers: owner.headers,
      payload: { role },
    })
  const preview = async (token: string) =>
    (await app.inject({ url: `/api/v1/invitations/${token}` })).statusCode
  t.equal((await setRole('owner')).statusCode, 200)
  const asSecondOwner = { ...tm, owner: member }
  const byThem = [await invite(app, asSecondOwner), await invite(app, asSecondOwner)]
  const byOwner = await invite(app, tm)
  const accepted = await invite(app, asSecondOwner)
  t.equal((await accept(accepted, { name: 'Early Bird', password: newPassword })).statusCode, 201)

  t.equal((await setRole('member')).statusCode, 200)
  t.same(await Promise.all(byThem.map(preview)), [404, 404], 'their links stopped working')
  const late = await accept(byThem[0] as string, { name: 'Too Late', password: newPassword })
  t.equal(late.statusCode, 404)
  t.equal(await preview(byOwner), 200, "the other owner's invitation stands")
  t.ok(
    (await members(workspaceId, owner)).some((m) => m.user.email.startsWith('invitee-')),
    'whoever already joined stays',
  )

  t.equal((await setRole('owner')).statusCode, 200)
  const beforeRemoval = await invite(app, asSecondOwner)
  const removed = await app.inject({
    method: 'DELETE',
    url: `${wsUrl(workspaceId)}/members/${member.user.id}`,
    headers: owner.headers,
  })
  t.equal(removed.statusCode, 204)
  t.equal(await preview(beforeRemoval), 404, 'removal revokes them too')

  const audit = await app.inject({ url: `${wsUrl(workspaceId)}/audit`, headers: owner.headers })
  t.match(audit.json().items, [
    { action: 'member.remove', message: /1 pending invitation by them revoked/ },
  ])
})

t.test('removing a member', async (t) => {
  const { workspaceId, owner, member } = await team(app)
  const url = `${wsUrl(workspaceId)}/members/${member.user.id}`
  const res = await app.inject({ method: 'DELETE', url, headers: owner.headers })
  t.equal(res.statusCode, 204)
  t.notOk((await members(workspaceId, owner)).some((m) => m.user.id === member.user.id))
  const lockedOut = await app.inject({
    url: `${wsUrl(workspaceId)}/members`,
    headers: member.headers,
  })
  t.equal(lockedOut.statusCode, 401, 'the removed member is signed out (their sessions ended)')
  const again = await app.inject({ method: 'DELETE', url, headers: owner.headers })
  t.equal(again.statusCode, 404)
  t.equal(again.json().code, 'NOT_FOUND')
})

t.test('membership changes are audited, newest first, with cursor pagination', async (t) => {
  const tm = await team(app)
  const { workspaceId, owner, member } = tm
  const email = freshEmail()
  const token = await invite(app, tm, email)
  const joined = await accept(token, { name: 'Audrey Audit', password: newPassword })
  const newcomerId = joined.json().user.id
  await app.inject({
    method: 'PATCH',
    url: `${wsUrl(workspaceId)}/members/${newcomerId}`,
    headers: owner.headers,
    payload: { role: 'owner' },
  })
  await app.inject({
    method: 'DELETE',
    url: `${wsUrl(workspaceId)}/members/${member.user.id}`,
    headers: owner.headers,
  })

  const audit = (query = '') =>
    app.inject({ url: `${wsUrl(workspaceId)}/audit${query}`, headers: owner.headers })
  const all = await audit()
  t.equal(all.statusCode, 200)
  const items = all.json().items as {
    id: string
    at: string
    action: string
    actor: { id: string }
  }[]
  t.same(
    items.map((e) => e.action),
    ['member.remove', 'member.role_change', 'member.join', 'member.invite'],
  )
  t.match(items, [
    { actor: { id: owner.user.id }, outcome: 'success' },
    { actor: { id: owner.user.id }, outcome: 'success' },
    { actor: { id: newcomerId, email }, outcome: 'success' },
    { actor: { id: owner.user.id }, outcome: 'success', message: new RegExp(email) },
  ])
  const times = items.map((e) => Date.parse(e.at))
  t.same(
    times,
    [...times].sort((a, b) => b - a),
    'newest first',
  )
  t.equal(all.json().nextCursor, null)

  const paged: string[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const query: string = `?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
    const page = await audit(query)
    t.equal(page.statusCode, 200)
    t.ok(page.json().items.length <= 3)
    paged.push(...page.json().items.map((e: { id: string }) => e.id))
    cursor = page.json().nextCursor
    pages += 1
  } while (cursor && pages < 10)
  t.equal(pages, 2)
  t.same(
    paged,
    items.map((e) => e.id),
    'the pages add up to the whole list, in order',
  )
})

t.test('only owners read the audit', async (t) => {
  const { workspaceId, member } = await team(app)
  const res = await app.inject({ url: `${wsUrl(workspaceId)}/audit`, headers: member.headers })
  t.equal(res.statusCode, 403)
  t.equal(res.json().code, 'FORBIDDEN')
})
