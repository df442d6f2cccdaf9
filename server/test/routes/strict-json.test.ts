import t from 'tap'
import { ErrorCode } from '@cloudlink/shared'
import { build } from '../helper.js'
import { team, type Team } from '../support/fixtures.js'
import { assertErrorShape, nextIp, validationFields } from '../support/http.js'
import { connectDemoAccount } from '../support/routes.js'

// Strict JSON (contract: "Strict JSON"): a body is taken as it is sent. Nothing is coerced, an
// unknown field is refused and named, and a refused request changes nothing.

const { app } = await build(t, { config: { SANDBOX: '1' } })

const accountsUrl = (tm: Team) => `/api/v1/workspaces/${tm.workspaceId}/cloud-accounts`

async function readAccount(tm: Team, id: string) {
  const res = await app.inject({ url: `${accountsUrl(tm)}/${id}`, headers: tm.owner.headers })
  return res.json() as Record<string, unknown>
}

async function auditCount(tm: Team) {
  const res = await app.inject({
    url: `/api/v1/workspaces/${tm.workspaceId}/audit?limit=100`,
    headers: tm.owner.headers,
  })
  return (res.json() as { items: unknown[] }).items.length
}

async function demoCredentials(tm: Team) {
  const res = await app.inject({ url: '/api/v1/providers', headers: tm.owner.headers })
  const demos = res.json().demoCredentials as {
    provider: string
    kind: string
    credentials: Record<string, string>
  }[]
  const demo = demos.find((d) => d.kind === 'good' && 'token' in d.credentials)
  if (!demo) throw new Error('no demo credential with a token field')
  return demo
}

t.test('PATCH cloud account: a number is not a label', async (t) => {
  const tm = await team(app)
  const id = await connectDemoAccount(app, tm)
  const before = await readAccount(tm, id)
  const audits = await auditCount(tm)
  for (const [label, payload] of Object.entries({
    number: { label: 42 },
    null: { label: null },
    boolean: { label: true },
    array: { label: ['x'] },
    object: { label: { text: 'x' } },
    'isDefault as text': { isDefault: 'true' },
    'isDefault as number': { isDefault: 1 },
    'isDefault as null': { isDefault: null },
  })) {
    const res = await app.inject({
      method: 'PATCH',
      url: `${accountsUrl(tm)}/${id}`,
      headers: tm.owner.headers,
      payload,
    })
    t.equal(res.statusCode, 400, `${label}: ${res.body}`)
    t.equal(res.json().code, ErrorCode.ValidationFailed)
    t.same(validationFields(res), Object.keys(payload), `${label} names the field`)
    assertErrorShape(t, res, label)
  }
  t.same(await readAccount(tm, id), before, 'the account is unchanged')
  t.equal(await auditCount(tm), audits, 'nothing was audited as a change')
})

t.test('unknown fields are refused and named, at every level', async (t) => {
  const tm = await team(app)
  const id = await connectDemoAccount(app, tm)
  const before = await readAccount(tm, id)
  const patch = await app.inject({
    method: 'PATCH',
    url: `${accountsUrl(tm)}/${id}`,
    headers: tm.owner.headers,
    payload: { label: 'Renamed', colour: 'red' },
  })
  t.equal(patch.statusCode, 400, patch.body)
  t.same(patch.json().details, [{ field: 'colour', message: 'is not allowed' }])
  t.same(await readAccount(tm, id), before, 'the known field was not applied either')

  const demo = await demoCredentials(tm)
  const connect = (credentials: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url: accountsUrl(tm),
      headers: tm.owner.headers,
      remoteAddress: nextIp(),
      payload: { provider: demo.provider, label: 'Typo', credentials },
    })
  const typo = await connect({ ...demo.credentials, tokn: 'x' })
  t.equal(typo.statusCode, 400, typo.body)
  t.same(validationFields(typo), ['credentials.tokn'])
  // A credential field name outside the allowed alphabet is refused by the schema, not dropped.
  const odd = await connect({ ...demo.credentials, 'to-ken': 'x' })
  t.equal(odd.statusCode, 400, odd.body)
  t.same(validationFields(odd), ['credentials.to-ken'])
  const valueType = await app.inject({
    method: 'POST',
    url: accountsUrl(tm),
    headers: tm.owner.headers,
    remoteAddress: nextIp(),
    payload: { provider: demo.provider, label: 'Typo', credentials: { token: 42 } },
  })
  t.equal(valueType.statusCode, 400, valueType.body)
  t.same(validationFields(valueType), ['credentials.token'])

  const list = await app.inject({ url: accountsUrl(tm), headers: tm.owner.headers })
  t.equal(list.json().items.length, 1, 'no account was connected')
})

t.test('one 400 lists at most 20 field errors', async (t) => {
  const tm = await team(app)
  const id = await connectDemoAccount(app, tm)
  const junk = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`extra${i}`, i]))
  const res = await app.inject({
    method: 'PATCH',
    url: `${accountsUrl(tm)}/${id}`,
    headers: tm.owner.headers,
    payload: { label: 'x', ...junk },
  })
  t.equal(res.statusCode, 400)
  t.equal(res.json().details.length, 20)
  t.equal(res.json().details[0].field, 'extra0')
})

t.test('query strings and path params are still read from text', async (t) => {
  const tm = await team(app)
  await connectDemoAccount(app, tm)
  const res = await app.inject({
    url: `/api/v1/workspaces/${tm.workspaceId}/audit?limit=1`,
    headers: tm.owner.headers,
  })
  t.equal(res.statusCode, 200, res.body)
  t.equal(res.json().items.length, 1, 'limit=1 was read as the number 1')
})
