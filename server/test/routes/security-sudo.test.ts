import t from 'tap'
import { build } from '../helper.js'
import { newSession, newUser, PASSWORD, team, type Session } from '../support/fixtures.js'
import { assertErrorShape } from '../support/http.js'
import { enrolTotp, totpCode } from '../support/mfa.js'

// Sudo mode: the confirmation time lives on the session row; the tests age it in the database
// instead of waiting ten minutes.

const { app } = await build(t)

const jtiOf = (who: Session) => (app.jwt.decode(who.token) as { jti: string }).jti
const age = (who: Session, minutes: number) =>
  app.orm.em
    .fork()
    .execute(`update sessions set reauth_at = now() - make_interval(mins => ?) where id = ?`, [
      minutes,
      jtiOf(who),
    ])
const reauth = (who: Session, payload: object) =>
  app.inject({ method: 'POST', url: '/api/v1/auth/reauth', headers: who.headers, payload })

t.test('sensitive actions need a confirmation within ten minutes', async (t) => {
  const { workspaceId, owner, member } = await team(app)
  const actions = {
    'create an API token': {
      method: 'POST' as const,
      url: `/api/v1/workspaces/${workspaceId}/api-tokens`,
      payload: { name: 'CI', scopes: ['accounts:read'] },
    },
    'change a role': {
      method: 'PATCH' as const,
      url: `/api/v1/workspaces/${workspaceId}/members/${member.user.id}`,
      payload: { role: 'member' },
    },
    'start enrolling a second factor': { method: 'POST' as const, url: '/api/v1/me/mfa/totp' },
    'issue a reset link': {
      method: 'POST' as const,
      url: `/api/v1/workspaces/${workspaceId}/members/${member.user.id}/password-reset`,
    },
    'create a webhook': {
      method: 'POST' as const,
      url: `/api/v1/workspaces/${workspaceId}/webhooks`,
      payload: { url: 'https://93.184.215.14/hook', events: ['account.expired'] },
    },
  }
  const send = (action: (typeof actions)[keyof typeof actions]) =>
    app.inject({ ...action, headers: owner.headers })

  for (const [name, action] of Object.entries(actions))
    t.ok((await send(action)).statusCode < 300, `a fresh sign-in counts: ${name}`)

  await age(owner, 9)
  t.ok((await send(actions['create an API token'])).statusCode < 300, 'nine minutes is fine')

  await age(owner, 11)
  for (const [name, action] of Object.entries(actions)) {
    const res = await send(action)
    t.equal(res.statusCode, 403, `eleven minutes: ${name}`)
    assertErrorShape(t, res)
    t.equal(res.json().code, 'REAUTH_REQUIRED', name)
  }
  const tokens = await app.inject({
    url: `/api/v1/workspaces/${workspaceId}/api-tokens`,
    headers: owner.headers,
  })
  t.equal(tokens.json().items.length, 2, 'the refused attempt created nothing')
  const trail = await app.inject({
    url: `/api/v1/workspaces/${workspaceId}/audit`,
    headers: owner.headers,
  })
  t.notOk(
    trail.json().items.some((e: { outcome: string }) => e.outcome === 'failed'),
    'a request sent back for confirmation is no failed attempt in the audit trail',
  )
  t.equal(
    (await app.inject({ url: '/api/v1/me', headers: owner.headers })).statusCode,
    200,
    'everything else still works',
  )

  const wrong = await reauth(owner, { password: 'not my password at all' })
  t.equal(wrong.statusCode, 400, 'a wrong password is no 401: the person stays signed in')
  t.match(wrong.json().details, [{ field: 'password' }])
  t.equal((await send(actions['change a role'])).json().code, 'REAUTH_REQUIRED')

  t.equal((await reauth(owner, { password: PASSWORD })).statusCode, 204)
  for (const [name, action] of Object.entries(actions))
    t.ok((await send(action)).statusCode < 300, `confirmed again: ${name}`)

  const other = await newSession(app, owner.user)
  await age(other, 11)
  t.equal(
    (await send(actions['create an API token'])).statusCode,
    201,
    'each session has its own confirmation',
  )
  const res = await app.inject({ ...actions['create an API token'], headers: other.headers })
  t.equal(res.json().code, 'REAUTH_REQUIRED')
})

t.test('reauth with a code of the second factor; with neither or both: 400', async (t) => {
  const person = await newUser(app)
  const { secret, recoveryCodes } = await enrolTotp(app, person)
  await age(person, 30)
  const start = () =>
    app.inject({ method: 'POST', url: '/api/v1/me/mfa/totp', headers: person.headers })
  t.equal((await start()).json().code, 'REAUTH_REQUIRED')

  t.equal((await reauth(person, {})).statusCode, 400)
  t.equal((await reauth(person, { password: PASSWORD, code: '123456' })).statusCode, 400)
  const replay = await reauth(person, { code: totpCode(secret) })
  t.equal(replay.statusCode, 400, 'the enrolment code is not accepted twice')
  t.match(replay.json().details, [{ field: 'code' }])
  t.equal((await reauth(person, { code: recoveryCodes[0] as string })).statusCode, 204)
  t.equal((await start()).statusCode, 409, 'past sudo: MFA is on already')

  const plain = await newUser(app)
  const noMfa = await reauth(plain, { code: '123456' })
  t.equal(noMfa.statusCode, 400, 'without a second factor a code cannot confirm')
})

t.test('wrong reauth passwords are limited per person', async (t) => {
  const { app } = await build(t, { app: { securityLimits: { passwordsPerUser: 3 } } })
  const person = await newUser(app)
  const statuses: number[] = []
  for (let i = 0; i < 4; i++)
    statuses.push(
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/auth/reauth',
          headers: person.headers,
          payload: { password: `wrong password ${i}` },
        })
      ).statusCode,
    )
  t.same(statuses, [400, 400, 400, 429])
})
