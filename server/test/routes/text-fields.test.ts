import t from 'tap'
import { randomUUID } from 'node:crypto'
import { ErrorCode } from '@cloudlink/shared'
import { build } from '../helper.js'
import { team, type Team } from '../support/fixtures.js'
import { validationFields } from '../support/http.js'
import { connectDemoAccount, invite } from '../support/routes.js'

// Text a person types is stored trimmed and free of control and bidi characters; passwords are
// kept as typed but may not be empty of meaning (only spaces, one repeated character) or hold NUL.

const { app } = await build(t, { config: { SANDBOX: '1' } })

/** The characters every text field refuses, by name. */
const FORBIDDEN: Record<string, string> = {
  NUL: '\u0000',
  ESC: '\u001b[31m',
  BEL: '\u0007',
  DEL: '\u007f',
  CR: '\r',
  LF: '\n',
  'RTL override': '\u202e',
  'LTR embedding': '\u202a',
  'first-strong isolate': '\u2068',
  'RTL mark': '\u200f',
}

const accountsUrl = (tm: Team) => `/api/v1/workspaces/${tm.workspaceId}/cloud-accounts`
const patch = (tm: Team, id: string, payload: object) =>
  app.inject({
    method: 'PATCH',
    url: `${accountsUrl(tm)}/${id}`,
    headers: tm.owner.headers,
    payload,
  })
const accept = (token: string, payload: object) =>
  app.inject({ method: 'POST', url: `/api/v1/invitations/${token}/accept`, payload })

t.test('labels and descriptions refuse control and bidi characters', async (t) => {
  const tm = await team(app)
  const id = await connectDemoAccount(app, tm)
  for (const [name, bad] of Object.entries(FORBIDDEN)) {
    for (const field of ['label', 'description']) {
      const res = await patch(tm, id, { [field]: `Prod ${bad} eu` })
      t.equal(res.statusCode, 400, `${name} in ${field}: ${res.body}`)
      t.equal(res.json().code, ErrorCode.ValidationFailed)
      t.same(validationFields(res), [field], `${name} in ${field} names the field`)
    }
  }
  const account = await app.inject({ url: `${accountsUrl(tm)}/${id}`, headers: tm.owner.headers })
  t.equal(account.json().label, 'Fixture account', 'the label never changed')
  t.equal(account.json().description, '')
})

t.test('a TAB is fine in a description, not in a label', async (t) => {
  const tm = await team(app)
  const id = await connectDemoAccount(app, tm)
  const description = await patch(tm, id, { description: 'Zone\tEU' })
  t.equal(description.statusCode, 200, description.body)
  t.equal(description.json().description, 'Zone\tEU')
  const label = await patch(tm, id, { label: 'Zone\tEU' })
  t.equal(label.statusCode, 400, label.body)
  t.same(validationFields(label), ['label'])
})

t.test('text is trimmed before its length is checked, and stored trimmed', async (t) => {
  const tm = await team(app)
  const id = await connectDemoAccount(app, tm)
  const blank = await patch(tm, id, { label: '    ' })
  t.equal(blank.statusCode, 400, blank.body)
  t.same(validationFields(blank), ['label'])
  const padded = await patch(tm, id, { label: `  ${'x'.repeat(100)}  ` })
  t.equal(padded.statusCode, 200, '100 characters with spaces around are 100 characters')
  t.equal(padded.json().label, 'x'.repeat(100))
  const trimmed = await patch(tm, id, { label: '  Production  ', description: ' EU ' })
  t.equal(trimmed.json().label, 'Production')
  t.equal(trimmed.json().description, 'EU')

  const workspace = await app.inject({
    method: 'POST',
    url: '/api/v1/workspaces',
    headers: tm.owner.headers,
    payload: { name: '   ' },
  })
  t.equal(workspace.statusCode, 400, workspace.body)
  t.same(validationFields(workspace), ['name'])
  const nul = await app.inject({
    method: 'POST',
    url: '/api/v1/workspaces',
    headers: tm.owner.headers,
    payload: { name: 'Ac\u0000me' },
  })
  t.equal(nul.statusCode, 400, `a NUL is a 400, not a database error: ${nul.body}`)
  t.same(validationFields(nul), ['name'])
})

t.test('connecting refuses control characters in the label and credential values', async (t) => {
  const tm = await team(app)
  // Hetzner Robot's password has no format of its own, so only the character rules guard it.
  const demo = app.sandbox.demoCredentials.find(
    (d) => d.kind === 'good' && d.provider === 'hetzner-robot',
  ) as { provider: string; credentials: Record<string, string> }
  const connect = (payload: object) =>
    app.inject({
      method: 'POST',
      url: accountsUrl(tm),
      headers: tm.owner.headers,
      payload: { provider: demo.provider, credentials: demo.credentials, ...payload },
    })
  const label = await connect({ label: 'Prod\u0000' })
  t.equal(label.statusCode, 400, label.body)
  t.same(validationFields(label), ['label'])
  for (const [name, bad] of Object.entries(FORBIDDEN)) {
    const res = await connect({
      label: 'Prod',
      credentials: { ...demo.credentials, password: `pass${bad}word` },
    })
    t.equal(res.statusCode, 400, `${name} in a password field: ${res.body}`)
    t.same(validationFields(res), ['credentials.password'])
  }
  const list = await app.inject({ url: accountsUrl(tm), headers: tm.owner.headers })
  t.same(list.json().items, [], 'nothing was connected')
})

t.test('a PEM key may span lines', async (t) => {
  const tm = await team(app)
  const demo = app.sandbox.demoCredentials.find(
    (d) => d.kind === 'good' && d.provider === 'transip',
  ) as { provider: string; credentials: Record<string, string> }
  t.match(demo.credentials.privateKey, /\n/, 'the demo key has line breaks')
  const res = await app.inject({
    method: 'POST',
    url: accountsUrl(tm),
    headers: tm.owner.headers,
    payload: { provider: demo.provider, label: 'TransIP', credentials: demo.credentials },
  })
  t.equal(res.statusCode, 201, res.body)
})

t.test('invitation accept: password policy and clean names', async (t) => {
  const tm = await team(app)
  const weak: Record<string, string> = {
    'only spaces': ' '.repeat(12),
    'only tabs and newlines': '\t\n'.repeat(8),
    'one repeated character': 'a'.repeat(16),
    'one repeated emoji': '🔑'.repeat(12),
    'a NUL inside': 'a long password\u0000x',
  }
  const token = await invite(app, tm)
  for (const [name, password] of Object.entries(weak)) {
    const res = await accept(token, { name: 'Nina', password })
    t.equal(res.statusCode, 400, `${name}: ${res.body}`)
    t.same(validationFields(res), ['password'], `${name} names the password`)
  }
  const badName = await accept(token, { name: 'Nina\u202egnp.exe', password: 'a long password' })
  t.equal(badName.statusCode, 400)
  t.same(validationFields(badName), ['name'])

  // Spaces around a password are part of it: never trimmed away.
  const password = '  spaced out passphrase  '
  const ok = await accept(token, { name: '  Nina  ', password })
  t.equal(ok.statusCode, 201, ok.body)
  t.equal(ok.json().user.name, 'Nina')
  const email = ok.json().user.email as string
  const login = (pw: string) =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: pw } })
  t.equal((await login(password)).statusCode, 200, 'the exact password signs in')
  t.equal((await login(password.trim())).statusCode, 401, 'the trimmed one does not')
  const nulLogin = await login('x\u0000')
  t.equal(nulLogin.statusCode, 400, nulLogin.body)
  t.same(validationFields(nulLogin), ['password'])
})

t.test('setup: password policy, clean and trimmed names', async (t) => {
  const { app } = await build(t)
  const body = {
    email: `founder-${randomUUID().slice(0, 8)}@example.test`,
    password: 'a long enough password',
    name: 'Founder',
    workspaceName: 'Founders',
  }
  const setup = (payload: object) =>
    app.inject({ method: 'POST', url: '/api/v1/setup', payload: { ...body, ...payload } })
  for (const [name, payload] of Object.entries({
    'password of spaces': { password: ' '.repeat(12) },
    'password of one character': { password: 'x'.repeat(12) },
    'blank workspace name': { workspaceName: '   ' },
    'blank name': { name: ' \t ' },
    'ESC in name': { name: 'Fo\u001b[2Junder' },
    'bidi in workspace name': { workspaceName: 'Acme\u2066' },
  })) {
    const res = await setup(payload)
    t.equal(res.statusCode, 400, `${name}: ${res.body}`)
    t.same(validationFields(res), Object.keys(payload), `${name} names the field`)
  }
  t.same((await app.inject({ url: '/api/v1/setup' })).json(), { needed: true }, 'still needed')
  const ok = await setup({ name: '  Founder ', workspaceName: ' Founders  ' })
  t.equal(ok.statusCode, 201, ok.body)
  t.equal(ok.json().user.name, 'Founder')
  t.equal(ok.json().workspace.name, 'Founders')
})
