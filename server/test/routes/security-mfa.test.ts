import t from 'tap'
import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import { build } from '../helper.js'
import { newUser, PASSWORD, type Session } from '../support/fixtures.js'
import { assertErrorShape, nextIp } from '../support/http.js'
import { awayFromStepEdge, enrolTotp, totpCode } from '../support/mfa.js'

// Codes are computed here with otpauth, as an authenticator app would; every sign-in runs scrypt.
t.setTimeout(5 * 60_000)

const { app, logs } = await build(t, { app: { loginLimits: { perIp: 1000 } } })

const login = (who: Session, password = PASSWORD) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress: nextIp(),
    payload: { email: who.user.email, password },
  })

const secondStep = (mfaToken: string, code: string) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/auth/login/mfa',
    remoteAddress: nextIp(),
    payload: { mfaToken, code },
  })

/** The first step: a right password answers 401 MFA_REQUIRED with the token of the second. */
async function firstStep(t: Test, who: Session): Promise<string> {
  const res = await login(who)
  t.equal(res.statusCode, 401)
  assertErrorShape(t, res)
  t.equal(res.json().code, 'MFA_REQUIRED')
  t.notOk(res.headers['set-cookie'], 'no session before the code')
  const token = res.json().details.mfaToken as string
  t.match(token, /^[A-Za-z0-9_-]{40,}$/)
  return token
}

/** Moves the person's last accepted time step back, as if their last code were minutes old. */
const forgetLastStep = (app: FastifyInstance, userId: string) =>
  app.orm.em.fork().execute(`update user_mfa set last_used_step = 0 where user_id = ?`, [userId])

async function personWithTotp() {
  const person = await newUser(app, 'Tess Totp')
  const enrolled = await enrolTotp(app, person)
  // The enrolment used the current step; the tests' sign-ins must not be refused as its replay.
  await forgetLastStep(app, person.user.id)
  return { person, ...enrolled }
}

t.test('enrolment: a pending secret, confirmed by a code; the secret is sealed', async (t) => {
  const person = await newUser(app)
  const started = await app.inject({
    method: 'POST',
    url: '/api/v1/me/mfa/totp',
    headers: person.headers,
  })
  t.equal(started.statusCode, 200)
  const { secret, otpauthUrl } = started.json()
  t.match(secret, /^[A-Z2-7]{32}$/, '160-bit base32 secret')
  t.match(otpauthUrl, /^otpauth:\/\/totp\/Cloudlink:.+\?.*secret=/)
  t.match(otpauthUrl, /algorithm=SHA1&digits=6&period=30/)
  const me = await app.inject({ url: '/api/v1/me', headers: person.headers })
  t.equal(me.json().security.mfaEnabled, false, 'pending until confirmed')

  const [row] = await app.orm.em
    .fork()
    .execute<{ sealed_secret: Buffer }[]>(`select sealed_secret from user_mfa where user_id = ?`, [
      person.user.id,
    ])
  t.notOk(
    Buffer.from(row?.sealed_secret ?? [])
      .toString('latin1')
      .includes(secret),
    'sealed',
  )

  const wrong = await app.inject({
    method: 'POST',
    url: '/api/v1/me/mfa/totp/confirm',
    headers: person.headers,
    payload: { code: totpCode(secret, 3) },
  })
  t.equal(wrong.statusCode, 400)
  t.match(wrong.json().details, [{ field: 'code' }])
  const confirmed = await app.inject({
    method: 'POST',
    url: '/api/v1/me/mfa/totp/confirm',
    headers: person.headers,
    payload: { code: totpCode(secret) },
  })
  t.equal(confirmed.statusCode, 200)
  const codes = confirmed.json().recoveryCodes as string[]
  t.equal(codes.length, 10)
  t.equal(new Set(codes).size, 10)
  for (const code of codes) t.match(code, /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/)
  const stored = await app.orm.em
    .fork()
    .execute<{ code_hash: string }[]>(`select code_hash from recovery_codes where user_id = ?`, [
      person.user.id,
    ])
  t.equal(stored.length, 10)
  t.notOk(
    stored.some((r) => codes.some((c) => r.code_hash.includes(c))),
    'only hashes are kept',
  )
  const after = (await app.inject({ url: '/api/v1/me', headers: person.headers })).json()
  t.same(after.security, { mfaEnabled: true, recoveryCodesLeft: 10, mfaEnrolmentRequired: false })

  const again = await app.inject({
    method: 'POST',
    url: '/api/v1/me/mfa/totp',
    headers: person.headers,
  })
  t.equal(again.statusCode, 409, 'a confirmed factor is not replaced silently')
  t.notOk(logs.join('\n').includes(secret), 'the secret never reaches the log')
})

t.test('sign-in with a TOTP code; the code is accepted once', async (t) => {
  const { person, secret } = await personWithTotp()
  const token = await firstStep(t, person)
  const code = totpCode(secret)
  const ok = await secondStep(token, code)
  t.equal(ok.statusCode, 200, ok.body)
  t.type(ok.json().token, 'string')
  t.equal(ok.json().user.id, person.user.id)
  t.match(String(ok.headers['set-cookie']), /cl_session=/)
  const me = await app.inject({
    url: '/api/v1/me',
    headers: { authorization: `Bearer ${ok.json().token}` },
  })
  t.equal(me.statusCode, 200, 'the new session works')

  const used = await secondStep(token, code)
  t.equal(used.statusCode, 401, 'the mfaToken is single use')
  t.equal(used.json().code, 'UNAUTHENTICATED')

  const replay = await secondStep(await firstStep(t, person), code)
  t.equal(replay.statusCode, 401, 'the same code in its window is refused on a new sign-in')
  t.equal(replay.json().code, 'UNAUTHENTICATED')
})

t.test('a code from two windows ago is refused; one window either side is fine', async (t) => {
  const { person, secret } = await personWithTotp()
  const token = await firstStep(t, person)
  await awayFromStepEdge()
  const old = await secondStep(token, totpCode(secret, -2))
  t.equal(old.statusCode, 401, 'two steps old')
  const ahead = await secondStep(token, totpCode(secret, 2))
  t.equal(ahead.statusCode, 401, 'two steps ahead')
  const previous = await secondStep(token, totpCode(secret, -1))
  t.equal(previous.statusCode, 200, 'the previous step (clock drift) signs in')
})

t.test('five wrong codes end the sign-in: the sixth try is refused, right or not', async (t) => {
  const { person, secret } = await personWithTotp()
  const token = await firstStep(t, person)
  const wrong = totpCode(secret, 5)
  const messages: string[] = []
  for (let i = 0; i < 5; i++) {
    const res = await secondStep(token, wrong)
    t.equal(res.statusCode, 401, `wrong code ${i + 1}`)
    messages.push(res.json().message)
  }
  t.match(messages[0], /4 tries left/)
  t.match(messages[4], /Too many wrong codes/)
  const sixth = await secondStep(token, totpCode(secret))
  t.equal(sixth.statusCode, 401, 'the token is gone')
  t.equal(sixth.json().code, 'UNAUTHENTICATED')
  const fresh = await secondStep(await firstStep(t, person), totpCode(secret))
  t.equal(fresh.statusCode, 200, 'a new sign-in with the password and a right code works')
})

t.test('recovery codes sign in once each', async (t) => {
  const { person, recoveryCodes } = await personWithTotp()
  const [first, second] = recoveryCodes as [string, string]
  const ok = await secondStep(await firstStep(t, person), first.toUpperCase().replace(/-/g, ' '))
  t.equal(ok.statusCode, 200, 'typed in capitals with spaces')
  const reused = await secondStep(await firstStep(t, person), first)
  t.equal(reused.statusCode, 401, 'a used recovery code is refused')
  const next = await secondStep(await firstStep(t, person), second)
  t.equal(next.statusCode, 200)
  const me = await app.inject({
    url: '/api/v1/me',
    headers: { authorization: `Bearer ${next.json().token}` },
  })
  t.equal(me.json().security.recoveryCodesLeft, 8)
})

t.test('turning TOTP off takes a code; then the password alone signs in', async (t) => {
  const { person, secret } = await personWithTotp()
  const wrong = await app.inject({
    method: 'DELETE',
    url: '/api/v1/me/mfa/totp',
    headers: person.headers,
    payload: { code: totpCode(secret, 4) },
  })
  t.equal(wrong.statusCode, 400)
  t.match(wrong.json().details, [{ field: 'code' }])
  const off = await app.inject({
    method: 'DELETE',
    url: '/api/v1/me/mfa/totp',
    headers: person.headers,
    payload: { code: totpCode(secret) },
  })
  t.equal(off.statusCode, 204)
  const res = await login(person)
  t.equal(res.statusCode, 200)
  const again = await app.inject({
    method: 'DELETE',
    url: '/api/v1/me/mfa/totp',
    headers: person.headers,
    payload: { code: totpCode(secret, 1) },
  })
  t.equal(again.statusCode, 409, 'nothing left to turn off')
})
