import t from 'tap'
import { build } from '../helper.js'
import { PASSWORD, team, type Session } from '../support/fixtures.js'
import { nextIp } from '../support/http.js'
import { enrolTotp } from '../support/mfa.js'

// A workspace that requires a second factor: its owner turns the rule on only with one of their
// own; a member without one is refused the workspace's routes (403, reason mfa_enrolment) until
// they enrol, and sign-in and /me tell the SPA to send them to enrolment first.

const { app } = await build(t, { app: { loginLimits: { perIp: 1000 } } })

const patch = (workspaceId: string, who: Session, payload: object) =>
  app.inject({
    method: 'PATCH',
    url: `/api/v1/workspaces/${workspaceId}`,
    headers: who.headers,
    payload,
  })
const accounts = (workspaceId: string, who: Session) =>
  app.inject({ url: `/api/v1/workspaces/${workspaceId}/cloud-accounts`, headers: who.headers })

t.test('owners rename a workspace and set its MFA rule', async (t) => {
  const { workspaceId, owner, member, outsider } = await team(app)
  const renamed = await patch(workspaceId, owner, { name: '  Acme Ops  ' })
  t.equal(renamed.statusCode, 200)
  t.same(renamed.json(), { id: workspaceId, name: 'Acme Ops', role: 'owner', requireMfa: false })
  t.equal((await patch(workspaceId, member, { name: 'Mine' })).statusCode, 403)
  t.equal((await patch(workspaceId, outsider, { name: 'Mine' })).statusCode, 404)
  t.equal((await patch(workspaceId, owner, {})).statusCode, 400, 'an empty change')

  const refused = await patch(workspaceId, owner, { requireMfa: true })
  t.equal(refused.statusCode, 409, 'not without a second factor of their own')
  await enrolTotp(app, owner)
  const on = await patch(workspaceId, owner, { requireMfa: true })
  t.equal(on.statusCode, 200)
  t.equal(on.json().requireMfa, true)
  const me = (await app.inject({ url: '/api/v1/me', headers: owner.headers })).json()
  t.match(me.workspaces, [{ id: workspaceId, requireMfa: true }])
})

t.test('members without a second factor enrol before using the workspace', async (t) => {
  const { workspaceId, owner, member } = await team(app)
  await enrolTotp(app, owner)
  t.equal((await accounts(workspaceId, member)).statusCode, 200, 'before the rule')
  t.equal((await patch(workspaceId, owner, { requireMfa: true })).statusCode, 200)

  const refused = await accounts(workspaceId, member)
  t.equal(refused.statusCode, 403, 'refused at once')
  t.equal(refused.json().code, 'FORBIDDEN')
  t.same(refused.json().details, { reason: 'mfa_enrolment' })
  t.equal((await accounts(workspaceId, owner)).statusCode, 200, 'the owner has one')

  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress: nextIp(),
    payload: { email: member.user.email, password: PASSWORD },
  })
  t.equal(login.statusCode, 200)
  t.equal(login.json().mfaEnrolmentRequired, true, 'the sign-in says so')
  const me = (await app.inject({ url: '/api/v1/me', headers: member.headers })).json()
  t.equal(me.security.mfaEnrolmentRequired, true)

  await enrolTotp(app, member)
  t.equal((await accounts(workspaceId, member)).statusCode, 200, 'enrolled: in again')
  const after = (await app.inject({ url: '/api/v1/me', headers: member.headers })).json()
  t.equal(after.security.mfaEnrolmentRequired, false)
})
