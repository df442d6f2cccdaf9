import t from 'tap'
import { createHmac } from 'node:crypto'
import { build, TEST_JWT_SECRET } from '../helper.js'
import { newUser, PASSWORD } from '../support/fixtures.js'
import { assertErrorShape } from '../support/http.js'

// Every sign-in runs scrypt; on a busy machine this file outlasts tap's 120 s default.
t.setTimeout(5 * 60_000)

const setupBody = {
  email: 'Founder@Example.test',
  password: 'a long enough password',
  name: 'Founder',
  workspaceName: 'Founders',
}

t.test('first-run setup, login and /me', async (t) => {
  const { app } = await build(t, { app: { loginLimits: { perIp: 100 } } })

  t.same((await app.inject({ url: '/api/v1/setup' })).json(), { needed: true })

  const short = await app.inject({
    method: 'POST',
    url: '/api/v1/setup',
    payload: { ...setupBody, password: 'short' },
  })
  t.equal(short.statusCode, 400)
  t.equal(short.json().code, 'VALIDATION_FAILED')
  t.match(short.json().details, [{ field: 'password' }])

  const created = await app.inject({ method: 'POST', url: '/api/v1/setup', payload: setupBody })
  t.equal(created.statusCode, 201)
  const body = created.json()
  t.equal(body.user.email, 'founder@example.test')
  t.equal(body.workspace.name, 'Founders')
  t.type(body.token, 'string')
  t.match(String(created.headers['set-cookie']), /cl_session=.*HttpOnly.*SameSite=Strict/i)

  const hashed = app.passwords.stats().started
  const again = await app.inject({
    method: 'POST',
    url: '/api/v1/setup',
    payload: { ...setupBody, email: 'x@example.test' },
  })
  t.equal(again.statusCode, 409)
  t.equal(again.json().code, 'CONFLICT')
  t.equal(app.passwords.stats().started, hashed, 'refused before the password was hashed')
  t.same((await app.inject({ url: '/api/v1/setup' })).json(), { needed: false })

  t.test('login works with any email casing', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'FOUNDER@example.test', password: setupBody.password },
    })
    t.equal(res.statusCode, 200)
    const me = await app.inject({
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${res.json().token}` },
    })
    t.equal(me.statusCode, 200)
    t.equal(me.json().user.email, 'founder@example.test')
    t.same(
      me.json().workspaces.map((w: { role: string }) => w.role),
      ['owner'],
    )
  })

  t.test('wrong password and unknown email get the same answer', async (t) => {
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: setupBody.email, password: 'not the password!' },
    })
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'nobody@example.test', password: 'not the password!' },
    })
    t.equal(wrong.statusCode, 401)
    t.equal(unknown.statusCode, 401)
    t.equal(wrong.json().code, 'UNAUTHENTICATED')
    t.equal(wrong.json().message, unknown.json().message)
  })
})

t.test('sign-in lock-out: wrong passwords only, per email and address first', async (t) => {
  const { app } = await build(t, {
    app: { loginLimits: { perIp: 1000, perEmailAndIp: 3, perEmail: 5 } },
  })
  const owner = await newUser(app)
  const login = (remoteAddress: string, password: string, email = owner.user.email) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress,
      payload: { email, password },
    })

  t.test('successful sign-ins spend nothing', async (t) => {
    const statuses = []
    for (let i = 0; i < 5; i++) statuses.push((await login('10.0.0.1', PASSWORD)).statusCode)
    t.same(statuses, [200, 200, 200, 200, 200])
  })

  t.test("a guesser locks out its own address, not the owner's", async (t) => {
    const guesses = []
    for (let i = 0; i < 3; i++)
      guesses.push((await login('10.6.6.6', 'guess guess guess')).statusCode)
    t.same(guesses, [401, 401, 401])
    const locked = await login('10.6.6.6', 'guess guess guess')
    t.equal(locked.statusCode, 429)
    assertErrorShape(t, locked)
    t.equal(locked.json().code, 'RATE_LIMITED')
    t.ok(Number(locked.headers['retry-after']) > 0, 'with Retry-After')
    t.equal(
      (await login('10.6.6.6', PASSWORD)).statusCode,
      429,
      'from that address, not even the right password gets through',
    )
    t.equal((await login('10.0.0.1', PASSWORD)).statusCode, 200, 'the owner signs in from theirs')
    t.equal(
      (await login('10.6.6.6', PASSWORD, (await newUser(app)).user.email)).statusCode,
      200,
      'another account from the same address is not locked',
    )
  })

  t.test('guesses spread over many addresses meet the slower per-email limit', async (t) => {
    // 3 wrong passwords were counted above; 2 more from fresh addresses fill the 5.
    const spread = []
    for (let i = 0; i < 2; i++)
      spread.push((await login(`10.7.0.${i}`, 'guess again!!')).statusCode)
    t.same(spread, [401, 401])
    const locked = await login('10.9.9.9', PASSWORD)
    t.equal(locked.statusCode, 429, 'a password alone no longer signs in (a second factor will)')
    t.equal(locked.json().code, 'RATE_LIMITED')
    const unknown = []
    for (let i = 0; i < 6; i++)
      unknown.push((await login(`10.8.0.${i}`, 'guess', 'nobody@example.test')).statusCode)
    t.same(unknown.slice(-2), [401, 429], 'an unknown email is limited alike: no existence hint')
  })
})

t.test('login is rate limited per IP', async (t) => {
  const { app } = await build(t, { app: { loginLimits: { perIp: 3, perEmail: 100 } } })
  const statuses: number[] = []
  for (let i = 0; i < 4; i++) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: `u${i}@example.test`, password: 'whatever whatever' },
    })
    statuses.push(res.statusCode)
  }
  t.same(statuses, [401, 401, 401, 429])
})

t.test('password hashing waits in a small queue; a full queue answers 503 at once', async (t) => {
  const { app } = await build(t, {
    app: {
      loginLimits: { perIp: 100, perEmail: 100 },
      passwordHashing: { concurrency: 1, queue: 1 },
    },
  })
  const user = await newUser(app)
  const login = () =>
    app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.user.email, password: PASSWORD },
    })
  const answers = await Promise.all(Array.from({ length: 6 }, login))
  const statuses = answers.map((res) => res.statusCode)
  t.ok(
    statuses.every((s) => s === 200 || s === 503),
    `signed in or told to come back (${statuses})`,
  )
  t.ok(statuses.filter((s) => s === 200).length >= 2, 'the running and the queued one sign in')
  const busy = answers.find((res) => res.statusCode === 503)
  t.ok(busy, 'the rest are refused at once')
  if (busy) {
    assertErrorShape(t, busy)
    t.equal(busy.json().code, 'UNAVAILABLE')
    t.ok(Number(busy.headers['retry-after']) > 0, 'with Retry-After')
  }
  t.equal(app.passwords.stats().peak, 1, 'never more than one hash at once')
  t.equal((await login()).statusCode, 200, 'the queue drains')
})

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')

t.test('bad tokens are refused', async (t) => {
  const { app } = await build(t)
  const user = await newUser(app)
  const now = Math.floor(Date.now() / 1000)
  const hs256 = (payload: object, secret = TEST_JWT_SECRET) => {
    const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`
    return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`
  }
  const cases: Record<string, string> = {
    expired: hs256({
      sub: user.user.id,
      jti: crypto.randomUUID(),
      iat: now - 50000,
      exp: now - 10,
    }),
    'wrong secret': hs256(
      { sub: user.user.id, jti: crypto.randomUUID(), iat: now },
      'another secret entirely',
    ),
    tampered: user.token.replace(
      /\.([^.]+)\./,
      (_m, p: string) =>
        `.${b64({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: crypto.randomUUID() })}.`,
    ),
    'no exp (would never expire)': hs256({ sub: user.user.id, jti: crypto.randomUUID(), iat: now }),
    'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: user.user.id, jti: crypto.randomUUID(), iat: now })}.`,
    garbage: 'not-a-token',
  }
  for (const [name, token] of Object.entries(cases)) {
    const res = await app.inject({
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${token}` },
    })
    t.equal(res.statusCode, 401, name)
    t.equal(res.json().code, 'UNAUTHENTICATED', name)
  }
  t.equal(
    (await app.inject({ url: '/api/v1/me', headers: user.headers })).statusCode,
    200,
    'the real token works',
  )
})

t.test('cookie sessions need the CSRF token; logout ends the session', async (t) => {
  const { app } = await build(t)
  await app.inject({ method: 'POST', url: '/api/v1/setup', payload: setupBody })
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: setupBody.email, password: setupBody.password },
  })
  const cookies = Object.fromEntries(login.cookies.map((c) => [c.name, c.value]))
  const cookieHeader = `cl_session=${cookies.cl_session}; cl_csrf=${cookies.cl_csrf}`
  t.equal(
    (await app.inject({ url: '/api/v1/me', headers: { cookie: cookieHeader } })).statusCode,
    200,
  )

  const noCsrf = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/logout',
    headers: { cookie: cookieHeader },
  })
  t.equal(noCsrf.statusCode, 403)

  // A second session of the same user: its CSRF token must not unlock the first one.
  const other = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: setupBody.email, password: setupBody.password },
  })
  const otherCsrf = String(other.cookies.find((c) => c.name === 'cl_csrf')?.value)
  t.not(otherCsrf, cookies.cl_csrf)
  const swapped = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/logout',
    headers: {
      cookie: `cl_session=${cookies.cl_session}; cl_csrf=${otherCsrf}`,
      'x-csrf-token': otherCsrf,
    },
  })
  t.equal(swapped.statusCode, 403, "another session's token (cookie and header alike) fails")
  t.equal(swapped.json().code, 'FORBIDDEN')

  const crossSite = [
    { 'sec-fetch-site': 'cross-site' },
    { 'sec-fetch-site': 'same-site' },
    { origin: 'https://evil.example' },
    { origin: 'null' },
  ]
  for (const headers of crossSite) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: cookieHeader, 'x-csrf-token': String(cookies.cl_csrf), ...headers },
    })
    t.equal(res.statusCode, 403, `refused with the right token: ${JSON.stringify(headers)}`)
  }

  // A session whose CSRF cookie went stale is handed the right one with its next answer.
  const healed = await app.inject({
    url: '/api/v1/me',
    headers: { cookie: `cl_session=${cookies.cl_session}; cl_csrf=stale` },
  })
  t.equal(healed.cookies.find((c) => c.name === 'cl_csrf')?.value, cookies.cl_csrf)
  t.equal(
    (await app.inject({ url: '/api/v1/me', headers: { cookie: cookieHeader } })).cookies.length,
    0,
    'a session with the right cookie gets no new one',
  )
  const out = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/logout',
    headers: {
      cookie: cookieHeader,
      'x-csrf-token': String(cookies.cl_csrf),
      'sec-fetch-site': 'same-origin',
      origin: 'http://localhost:80',
    },
  })
  t.equal(out.statusCode, 204)
  t.same(
    out.cookies.filter((c) => c.name === 'cl_csrf').map((c) => c.value),
    [''],
    'logout clears the CSRF cookie and nothing sets it again',
  )
  t.equal(
    (await app.inject({ url: '/api/v1/me', headers: { cookie: cookieHeader } })).statusCode,
    401,
  )
  t.equal(
    (
      await app.inject({
        url: '/api/v1/me',
        headers: { authorization: `Bearer ${login.json().token}` },
      })
    ).statusCode,
    401,
    'the same token as a Bearer header is revoked too',
  )
})
