import t from 'tap'
import { build, createTestDatabase } from '../helper.js'
import { newSession, newUser, PASSWORD, team, type Session } from '../support/fixtures.js'
import { nextIp } from '../support/http.js'
import { NEW_PASSWORD } from '../support/routes.js'

// Sessions are rows: listed, ended one by one, and ended together by a password change, a reset
// or a removal; an ended session is refused on every instance at once (change feed).
t.setTimeout(5 * 60_000)

const needsServer = process.env.TEST_DATABASE_URL
  ? false
  : 'needs TEST_DATABASE_URL (a PostgreSQL server)'

const { app } = await build(t, { app: { loginLimits: { perIp: 1000 } } })

const me = (who: Session, on = app) => on.inject({ url: '/api/v1/me', headers: who.headers })
const jtiOf = (who: Session) => (app.jwt.decode(who.token) as { jti: string }).jti

t.test('a sign-in is a session row: listed with its address and browser', async (t) => {
  const person = await newUser(app)
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress: '10.20.30.40',
    headers: { 'user-agent': 'Firefox/140.0 (test)' },
    payload: { email: person.user.email, password: PASSWORD },
  })
  t.equal(res.statusCode, 200)
  const signedIn = { ...person, headers: { authorization: `Bearer ${res.json().token}` } }
  const jti = (app.jwt.decode(res.json().token) as { jti: string }).jti
  // lastSeenAt and the address move at most once a minute: age the row, and the next request
  // (the first this instance sees of the session) records them; the one after does not.
  await app.orm.em
    .fork()
    .execute(`update sessions set last_seen_at = now() - interval '5 minutes' where id = ?`, [jti])
  await app.inject({ url: '/api/v1/me', headers: signedIn.headers, remoteAddress: '10.9.9.9' })
  await app.inject({ url: '/api/v1/me', headers: signedIn.headers, remoteAddress: '10.8.8.8' })
  await new Promise((resolve) => setTimeout(resolve, 200))
  const list = await app.inject({ url: '/api/v1/me/sessions', headers: signedIn.headers })
  t.equal(list.statusCode, 200)
  const items = list.json().items as {
    id: string
    ip: string
    userAgent: string
    lastSeenAt: string
    current: boolean
  }[]
  t.equal(items.length, 2, 'the fixture session and the sign-in')
  t.equal(items.filter((s) => s.current).length, 1)
  const current = items.find((s) => s.current)
  t.match(current, { id: jti, ip: '10.9.9.9', userAgent: 'Firefox/140.0 (test)' })
  t.ok(Date.now() - Date.parse(current?.lastSeenAt ?? '') < 60_000, 'last seen just now')
})

t.test('ending another session refuses it at once; ending one not yours is a 404', async (t) => {
  const person = await newUser(app)
  const stolen = await newSession(app, person.user)
  t.equal((await me(stolen)).statusCode, 200)
  const stranger = await newUser(app)
  const notYours = await app.inject({
    method: 'DELETE',
    url: `/api/v1/me/sessions/${jtiOf(stolen)}`,
    headers: stranger.headers,
  })
  t.equal(notYours.statusCode, 404)
  t.equal((await me(stolen)).statusCode, 200, 'still works')
  const ended = await app.inject({
    method: 'DELETE',
    url: `/api/v1/me/sessions/${jtiOf(stolen)}`,
    headers: person.headers,
  })
  t.equal(ended.statusCode, 204)
  t.equal((await me(stolen)).statusCode, 401, 'refused at once')
  t.equal((await me(person)).statusCode, 200, 'the one that ended it goes on')
  const list = await app.inject({ url: '/api/v1/me/sessions', headers: person.headers })
  t.same(
    list.json().items.map((s: { id: string }) => s.id),
    [jtiOf(person)],
    'gone from the list',
  )
  const twice = await app.inject({
    method: 'DELETE',
    url: `/api/v1/me/sessions/${jtiOf(stolen)}`,
    headers: person.headers,
  })
  t.equal(twice.statusCode, 404)
})

t.test('removing a member ends their sessions; leaving yourself does not', async (t) => {
  const { workspaceId, owner, member } = await team(app)
  const elsewhere = await newSession(app, member.user)
  const removed = await app.inject({
    method: 'DELETE',
    url: `/api/v1/workspaces/${workspaceId}/members/${member.user.id}`,
    headers: owner.headers,
  })
  t.equal(removed.statusCode, 204)
  t.equal((await me(member)).statusCode, 401)
  t.equal((await me(elsewhere)).statusCode, 401)

  const second = await team(app)
  const left = await app.inject({
    method: 'DELETE',
    url: `/api/v1/workspaces/${second.workspaceId}/members/${second.member.user.id}`,
    headers: second.member.headers,
  })
  t.equal(left.statusCode, 403, 'members cannot remove anyone, themselves included')
})

t.test(
  'a password change ends the other sessions, on a second instance too',
  { skip: needsServer },
  async (t) => {
    const { env } = await createTestDatabase(t)
    const a = (await build(t, { env })).app
    const b = (await build(t, { env })).app
    const person = await newUser(a)
    const other = await newSession(a, person.user)
    await Promise.all([a.changeFeed.sync(), b.changeFeed.sync()])
    t.ok(b.changeFeed.live)
    // Instance b caches the other session's check for its reads.
    t.equal((await me(other, b)).statusCode, 200)
    const hits = b.readCache.stats().hits
    t.equal((await me(other, b)).statusCode, 200)
    t.equal(b.readCache.stats().hits, hits + 1, 'b answered from its cache')

    const wrong = await a.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: person.headers,
      payload: { currentPassword: 'not the password', newPassword: NEW_PASSWORD },
    })
    t.equal(wrong.statusCode, 400)
    t.match(wrong.json().details, [{ field: 'currentPassword' }])
    const changed = await a.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: person.headers,
      payload: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
    })
    t.equal(changed.statusCode, 204)
    await b.changeFeed.sync()
    t.equal((await me(other, b)).statusCode, 401, 'b refuses the other session at once')
    t.equal((await me(other, a)).statusCode, 401)
    t.equal((await me(person, b)).statusCode, 200, 'the session that changed it goes on')
    const login = (password: string) =>
      b.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: nextIp(),
        payload: { email: person.user.email, password },
      })
    t.equal((await login(PASSWORD)).statusCode, 401, 'the old password is gone')
    t.equal((await login(NEW_PASSWORD)).statusCode, 200, 'the new one signs in')
  },
)

t.test('sign-out ends the session row', async (t) => {
  const person = await newUser(app)
  const out = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/logout',
    headers: person.headers,
  })
  t.equal(out.statusCode, 204)
  const [row] = await app.orm.em
    .fork()
    .execute<{ ended_at: Date | null }[]>(`select ended_at from sessions where id = ?`, [
      jtiOf(person),
    ])
  t.ok(row?.ended_at, 'ended, kept for the list of past sessions')
  t.equal((await me(person)).statusCode, 401)
})
