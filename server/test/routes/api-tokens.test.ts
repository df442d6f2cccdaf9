import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { ErrorCode } from '@cloudlink/shared'
import { build } from '../helper.js'
import { team } from '../support/fixtures.js'
import { assertErrorShape, validationFields } from '../support/http.js'
import { connectDemoAccount } from '../support/routes.js'
import { mintToken } from '../support/tokens.js'

const DAY_MS = 24 * 60 * 60 * 1000
const sql = <T = unknown>(app: FastifyInstance, query: string, params: unknown[] = []) =>
  app.orm.em.fork().execute<T[]>(query, params)

// SANDBOX: accounts are connected with the sandbox's demo credentials.
const { app } = await build(t, { config: { SANDBOX: '1' } })
const tokensUrl = (workspaceId: string) => `/api/v1/workspaces/${workspaceId}/api-tokens`

t.test('POST mints a token shown once; only its hash is stored', async (t) => {
  const people = await team(app)
  const before = Date.now()
  const res = await app.inject({
    method: 'POST',
    url: tokensUrl(people.workspaceId),
    headers: people.owner.headers,
    payload: { name: '  Deploy bot ', scopes: ['accounts:manage', 'accounts:read'] },
  })
  t.equal(res.statusCode, 201, res.body)
  t.equal(res.headers['cache-control'], 'no-store')
  const body = res.json()
  t.match(body.token, /^clk_[0-9A-Za-z]{43}$/, 'clk_ + 43 base62 characters')
  t.equal(body.hint, `clk_••••${body.token.slice(-4)}`)
  t.equal(body.name, 'Deploy bot', 'the name is trimmed')
  t.same(body.scopes, ['accounts:read', 'accounts:manage'], 'scopes in their fixed order')
  t.equal(body.accountIds, null)
  t.equal(body.readOnly, false)
  t.same(body.createdBy, {
    id: people.owner.user.id,
    name: 'Olivia Owner',
    email: people.owner.user.email,
  })
  t.equal(body.lastUsedAt, null)
  const expires = Date.parse(body.expiresAt)
  t.ok(expires >= before + 90 * DAY_MS && expires <= Date.now() + 90 * DAY_MS, 'expires in 90 days')

  const list = await app.inject({
    url: tokensUrl(people.workspaceId),
    headers: people.owner.headers,
  })
  t.equal(list.statusCode, 200)
  t.equal(list.json().items.length, 1)
  t.notOk('token' in list.json().items[0], 'the list never shows the token')
  t.notOk(list.body.includes(body.token))

  const rows = await sql<{ row: string; token_hash: string }>(
    app,
    `select t::text as row, token_hash from api_tokens t where id = ?`,
    [body.id],
  )
  t.equal(rows.length, 1)
  t.notOk(rows[0]?.row.includes(body.token), 'the plain token is nowhere in the row')
  t.notOk(rows[0]?.row.includes(body.token.slice(4)), 'nor its random part')
  t.match(rows[0]?.token_hash, /^[0-9a-f]{64}$/)

  const second = await mintToken(app, people)
  t.not(second.token, body.token, 'every token is new')
  const newest = (
    await app.inject({ url: tokensUrl(people.workspaceId), headers: people.owner.headers })
  ).json()
  t.same(
    newest.items.map((i: { id: string }) => i.id),
    [second.created.id, body.id],
    'newest first',
  )
})

t.test('expiry: 1 to 365 days', async (t) => {
  const people = await team(app)
  const max = await mintToken(app, people, { expiresInDays: 365 })
  t.ok(Math.abs(Date.parse(max.created.expiresAt) - Date.now() - 365 * DAY_MS) < 60_000)
  const one = await mintToken(app, people, { expiresInDays: 1 })
  t.ok(Math.abs(Date.parse(one.created.expiresAt) - Date.now() - DAY_MS) < 60_000)
  for (const expiresInDays of [0, 366, 1.5]) {
    const res = await app.inject({
      method: 'POST',
      url: tokensUrl(people.workspaceId),
      headers: people.owner.headers,
      payload: { name: 'x', scopes: ['accounts:read'], expiresInDays },
    })
    t.equal(res.statusCode, 400, `${expiresInDays} days`)
    t.same(validationFields(res), ['expiresInDays'])
  }
})

t.test('bad input is a 400 naming the field', async (t) => {
  const people = await team(app)
  const elsewhere = await team(app)
  const foreignAccount = await connectDemoAccount(app, elsewhere)
  const cases: [string, object, string][] = [
    ['empty name', { name: ' ', scopes: ['accounts:read'] }, 'name'],
    ['no scopes', { name: 'x', scopes: [] }, 'scopes'],
    ['unknown scope', { name: 'x', scopes: ['members:read'] }, 'scopes'],
    ['repeated scope', { name: 'x', scopes: ['accounts:read', 'accounts:read'] }, 'scopes'],
    ['not a uuid', { name: 'x', scopes: ['accounts:read'], accountIds: ['nope'] }, 'accountIds'],
    [
      "another workspace's account",
      { name: 'x', scopes: ['accounts:read'], accountIds: [foreignAccount] },
      'accountIds',
    ],
    ['read-only manage', { name: 'x', scopes: ['accounts:manage'], readOnly: true }, 'readOnly'],
    ['unknown field', { name: 'x', scopes: ['accounts:read'], admin: true }, 'admin'],
  ]
  for (const [what, payload, field] of cases) {
    const res = await app.inject({
      method: 'POST',
      url: tokensUrl(people.workspaceId),
      headers: people.owner.headers,
      payload,
    })
    t.equal(res.statusCode, 400, `${what}: ${res.body}`)
    t.ok(
      validationFields(res).some((f) => f.startsWith(field)),
      `${what} names ${field}`,
    )
    assertErrorShape(t, res, what)
  }
  const rows = await sql<{ n: number }>(
    app,
    `select count(*)::int as n from api_tokens where workspace_id = ?`,
    [people.workspaceId],
  )
  t.equal(rows[0]?.n, 0, 'nothing was stored')
})

t.test('only owners, only as people, manage tokens', async (t) => {
  const people = await team(app)
  const minted = await mintToken(app, people)
  const url = tokensUrl(people.workspaceId)
  const asMember = await app.inject({ url, headers: people.member.headers })
  t.equal(asMember.statusCode, 403)
  t.equal(asMember.json().code, ErrorCode.Forbidden)
  t.equal((await app.inject({ url, headers: people.outsider.headers })).statusCode, 404)
  t.equal((await app.inject({ url })).statusCode, 401)
  for (const [method, path] of [
    ['GET', url],
    ['POST', url],
    ['DELETE', `${url}/${minted.created.id}`],
  ] as const) {
    const res = await app.inject({
      method,
      url: path,
      headers: minted.headers,
      ...(method === 'POST' ? { payload: { name: 'x', scopes: ['accounts:read'] } } : {}),
    })
    t.equal(res.statusCode, 403, `${method} with a token`)
    t.equal(res.json().code, ErrorCode.TokenScope)
  }
})

t.test('a token works through either header, in its own workspace only', async (t) => {
  const people = await team(app)
  const accountId = await connectDemoAccount(app, people)
  const { token, headers } = await mintToken(app, people)
  const list = `/api/v1/workspaces/${people.workspaceId}/cloud-accounts`
  t.equal((await app.inject({ url: list, headers })).statusCode, 200, 'Authorization: Bearer')
  const viaHeader = await app.inject({
    url: `${list}/${accountId}`,
    headers: { 'x-cloudlink-token': token },
  })
  t.equal(viaHeader.statusCode, 200, 'X-Cloudlink-Token')
  const both = await app.inject({
    url: list,
    headers: { 'x-cloudlink-token': token, authorization: people.owner.headers.authorization },
  })
  t.equal(both.statusCode, 401, 'two credentials at once are refused')
  const malformed = await app.inject({ url: list, headers: { 'x-cloudlink-token': 'clk_short' } })
  t.equal(malformed.statusCode, 401)
  const unknown = await app.inject({
    url: list,
    headers: { authorization: `Bearer clk_${'a'.repeat(43)}` },
  })
  t.equal(unknown.statusCode, 401)
  t.equal(unknown.json().code, ErrorCode.Unauthenticated)

  const elsewhere = await team(app)
  const other = await app.inject({
    url: `/api/v1/workspaces/${elsewhere.workspaceId}/cloud-accounts`,
    headers,
  })
  t.equal(other.statusCode, 404, 'another workspace does not exist for it')
  for (const url of [
    '/api/v1/me',
    '/api/v1/providers',
    `/api/v1/workspaces/${people.workspaceId}/members`,
  ]) {
    const res = await app.inject({ url, headers })
    t.equal(res.statusCode, 403, url)
    t.equal(res.json().code, ErrorCode.TokenScope, url)
  }
})

t.test('DELETE revokes at once; the token is gone from the list', async (t) => {
  const people = await team(app)
  const minted = await mintToken(app, people)
  const list = `/api/v1/workspaces/${people.workspaceId}/cloud-accounts`
  t.equal((await app.inject({ url: list, headers: minted.headers })).statusCode, 200)
  t.equal((await app.inject({ url: list, headers: minted.headers })).statusCode, 200)
  const url = `${tokensUrl(people.workspaceId)}/${minted.created.id}`
  const revoked = await app.inject({ method: 'DELETE', url, headers: people.owner.headers })
  t.equal(revoked.statusCode, 204)
  const after = await app.inject({ url: list, headers: minted.headers })
  t.equal(after.statusCode, 401, 'refused on the next request')
  t.equal(after.json().code, ErrorCode.Unauthenticated)
  t.same(
    (await app.inject({ url: tokensUrl(people.workspaceId), headers: people.owner.headers })).json()
      .items,
    [],
  )
  const again = await app.inject({ method: 'DELETE', url, headers: people.owner.headers })
  t.equal(again.statusCode, 404, 'revoking twice finds nothing')
  const elsewhere = await team(app)
  const foreign = await mintToken(app, elsewhere)
  const cross = await app.inject({
    method: 'DELETE',
    url: `${tokensUrl(people.workspaceId)}/${foreign.created.id}`,
    headers: people.owner.headers,
  })
  t.equal(cross.statusCode, 404, "another workspace's token is not found")
  t.equal(
    (
      await app.inject({
        url: `/api/v1/workspaces/${elsewhere.workspaceId}/cloud-accounts`,
        headers: foreign.headers,
      })
    ).statusCode,
    200,
  )
})
