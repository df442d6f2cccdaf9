import t from 'tap'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { build, createTestDatabase, TEST_JWT_SECRET, TEST_VAULT_KEYS } from '../helper.js'
import { newSession, newUser, PASSWORD, team, type Session } from '../support/fixtures.js'
import { nextIp } from '../support/http.js'
import { NEW_PASSWORD } from '../support/routes.js'

// Password lifecycle: the breached-password list, owner-issued reset links (single use, one hour),
// and the operator's CLI. Every sign-in and new password runs scrypt.
t.setTimeout(5 * 60_000)

const { env } = await createTestDatabase(t)
const { app, logs } = await build(t, { env, config: { PUBLIC_URL: 'https://cloudlink.example' } })

const me = (who: Session) => app.inject({ url: '/api/v1/me', headers: who.headers })
const login = (email: string, password: string) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress: nextIp(),
    payload: { email, password },
  })
const issue = (workspaceId: string, owner: Session, userId: string) =>
  app.inject({
    method: 'POST',
    url: `/api/v1/workspaces/${workspaceId}/members/${userId}/password-reset`,
    headers: owner.headers,
  })
const use = (token: string, password: string) =>
  app.inject({ method: 'POST', url: `/api/v1/password-resets/${token}`, payload: { password } })
const tokenOf = (url: string) => url.split('/').pop() as string

t.test('breached passwords are refused wherever a password is set', async (t) => {
  const person = await newUser(app)
  for (const common of ['qwerty123456', '1qaz2wsx3edc', 'QWERTY 123456']) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: person.headers,
      payload: { currentPassword: PASSWORD, newPassword: common },
    })
    t.equal(res.statusCode, 400, common)
    t.match(res.json().details, [{ field: 'newPassword', message: /common/ }], common)
  }
  const { workspaceId, owner, member } = await team(app)
  const link = (await issue(workspaceId, owner, member.user.id)).json()
  const viaLink = await use(tokenOf(link.url), 'administrator')
  t.equal(viaLink.statusCode, 400)
  t.match(viaLink.json().details, [{ field: 'password' }])
  t.equal((await me(member)).statusCode, 200, 'a refused reset changes nothing')
  const invited = await app.inject({
    method: 'POST',
    url: `/api/v1/workspaces/${workspaceId}/invitations`,
    headers: owner.headers,
    payload: { email: 'new.person@example.test', role: 'member' },
  })
  const accept = await app.inject({
    method: 'POST',
    url: `/api/v1/invitations/${invited.json().token}/accept`,
    payload: { name: 'New Person', password: 'unbelievable' },
  })
  t.equal(accept.statusCode, 400, 'an invitation cannot create an account with one either')
})

t.test('an owner issues a one-hour, single-use reset link for a member', async (t) => {
  const { workspaceId, owner, member } = await team(app)
  const other = await newSession(app, member.user)
  const res = await issue(workspaceId, owner, member.user.id)
  t.equal(res.statusCode, 201)
  t.equal(res.headers['cache-control'], 'no-store')
  const { url, expiresAt } = res.json()
  t.match(url, /^https:\/\/cloudlink\.example\/reset-password\/[A-Za-z0-9_-]{43}$/)
  const minutes = (Date.parse(expiresAt) - Date.now()) / 60_000
  t.ok(minutes > 59 && minutes <= 60, 'one hour')
  const [row] = await app.orm.em
    .fork()
    .execute<{ token_hash: string }[]>(`select token_hash from password_resets where user_id = ?`, [
      member.user.id,
    ])
  t.not(row?.token_hash, tokenOf(url), 'only a hash is stored')

  const preview = await app.inject({ url: `/api/v1/password-resets/${tokenOf(url)}` })
  t.equal(preview.statusCode, 200)
  t.equal(preview.json().email, member.user.email)

  t.equal((await use(tokenOf(url), NEW_PASSWORD)).statusCode, 204)
  t.equal((await me(member)).statusCode, 401, 'every session of the member ended')
  t.equal((await me(other)).statusCode, 401)
  t.equal((await login(member.user.email, PASSWORD)).statusCode, 401)
  t.equal((await login(member.user.email, NEW_PASSWORD)).statusCode, 200)

  const again = await use(tokenOf(url), 'another fine passphrase 7')
  t.equal(again.statusCode, 404, 'single use')
  t.equal((await app.inject({ url: `/api/v1/password-resets/${tokenOf(url)}` })).statusCode, 404)

  const trail = await app.inject({
    url: `/api/v1/workspaces/${workspaceId}/audit`,
    headers: owner.headers,
  })
  const actions = trail.json().items.map((e: { action: string }) => e.action)
  t.ok(actions.includes('member.password_reset'), 'issuing is audited')
  t.ok(actions.includes('user.password_reset'), 'using it is audited in the member’s workspace')
  t.notOk(logs.join('\n').includes(tokenOf(url)), 'the token never reaches the log')
  t.match(logs.join('\n'), /\/api\/v1\/password-resets\/\[redacted\]/)
})

t.test('a reset link expires after an hour; a newer link replaces it', async (t) => {
  const { workspaceId, owner, member } = await team(app)
  const first = tokenOf((await issue(workspaceId, owner, member.user.id)).json().url)
  const second = tokenOf((await issue(workspaceId, owner, member.user.id)).json().url)
  t.equal((await use(first, NEW_PASSWORD)).statusCode, 404, 'the older link is gone')
  await app.orm.em
    .fork()
    .execute(
      `update password_resets set expires_at = now() - interval '1 second' where user_id = ?`,
      [member.user.id],
    )
  t.equal((await use(second, NEW_PASSWORD)).statusCode, 404, 'expired')
  t.equal((await me(member)).statusCode, 200, 'nothing happened')
})

t.test('who may issue a reset link', async (t) => {
  const { workspaceId, owner, member, outsider } = await team(app)
  t.equal((await issue(workspaceId, member, owner.user.id)).statusCode, 403, 'members may not')
  t.equal((await issue(workspaceId, owner, owner.user.id)).statusCode, 409, 'not for yourself')
  t.equal((await issue(workspaceId, owner, outsider.user.id)).statusCode, 404, 'not a member')
  // The member also belongs to a workspace this owner does not own: the link would open it too.
  const elsewhere = await team(app)
  await app.orm.em
    .fork()
    .execute(
      `insert into memberships (workspace_id, user_id, role, created_at) values (?, ?, 'member', now())`,
      [elsewhere.workspaceId, member.user.id],
    )
  const refused = await issue(workspaceId, owner, member.user.id)
  t.equal(refused.statusCode, 403)
  t.equal(refused.json().code, 'FORBIDDEN')
})

/** Runs the operator's CLI in a child process on this test's database. */
function cli(args: string[]) {
  const serverDir = fileURLToPath(new URL('../..', import.meta.url))
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/reset-password.ts', ...args], {
    cwd: serverDir,
    env: {
      PATH: process.env.PATH ?? '',
      ...env,
      VAULT_KEYS: TEST_VAULT_KEYS,
      JWT_SECRET: TEST_JWT_SECRET,
      PUBLIC_URL: 'https://ops.example',
    },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  )
}

t.test(
  'the operator prints a one-time link with user:reset-password',
  { skip: env.DATABASE_URL ? false : 'embedded PGlite has one owner: the app holds it' },
  async (t) => {
    const person = await newUser(app)
    const unknown = await cli(['nobody@example.test'])
    t.equal(unknown.code, 64)
    t.match(unknown.stderr, /no account with the email/)
    const res = await cli([person.user.email.toUpperCase()])
    t.equal(res.code, 0, res.stderr)
    const url = /https:\/\/ops\.example\/reset-password\/\S+/.exec(res.stdout)?.[0] ?? ''
    t.ok(url, 'a link from PUBLIC_URL')
    t.equal((await use(tokenOf(url), NEW_PASSWORD)).statusCode, 204)
    t.equal((await me(person)).statusCode, 401, 'the reset ended their sessions')
    t.equal((await login(person.user.email, NEW_PASSWORD)).statusCode, 200)
  },
)
