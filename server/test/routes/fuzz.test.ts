import t from 'tap'
import { randomUUID } from 'node:crypto'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import type { Test } from 'tap'
import { ErrorCode } from '@cloudlink/shared'
import type { RouteAccess } from '../../src/plugins/core/rbac.js'
import { build } from '../helper.js'
import { assertErrorShape, nextIp, validationFields } from '../support/http.js'
import {
  fillUrl,
  isSchema,
  pathParams,
  requiredOf,
  routeContext,
  routeKey,
  type RouteContext,
  validBody,
} from '../support/routes.js'

// Generated from the registered route table: the owner sends every route malformed input, and
// the answer must be a 4xx in the error shape, never a 5xx. Every body field, nested ones too,
// gets a value of each JSON type it does not accept, every object an unknown field and every
// string the characters text may not hold (contract: "Strict JSON"): each is a 400 naming the
// field, and the team's state reads the same afterwards.

type Schema = Record<string, unknown>

interface Expect {
  status?: number
  code?: string
  /** A VALIDATION_FAILED answer must name one of these in `details[].field`. */
  fields?: string[]
  /** The input is not wrong for this route (it declares no such schema): only "no 5xx" holds. */
  mayPass?: boolean
  /** The team's state (see `stateOf`) must read the same before and after. */
  unchanged?: boolean
}

interface FuzzCase {
  name: string
  /** Param values put in the URL as written, unencoded. */
  params?: Record<string, string>
  query?: string
  /** Replaces the valid body; a string is sent with `contentType`. */
  body?: (valid: Schema) => unknown
  contentType?: string
  expect: Expect
}

const MB = 1024 * 1024
const CONCURRENCY = 8
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const invalid = (...fields: string[]): Expect => ({
  status: 400,
  code: ErrorCode.ValidationFailed,
  fields,
})
const json = (name: string, raw: string, expect: Expect): FuzzCase => ({
  name,
  body: () => raw,
  contentType: 'application/json',
  expect,
})

/** The JSON types a schema accepts, or null when it accepts anything. */
function acceptedTypes(schema: Schema): Set<string> | null {
  if (Array.isArray(schema.enum)) return new Set(schema.enum.map(jsonType))
  if ('const' in schema) return new Set([jsonType(schema.const)])
  const options = schema.anyOf ?? schema.oneOf
  if (Array.isArray(options)) {
    const all = new Set<string>()
    for (const option of options) {
      const types = isSchema(option) ? acceptedTypes(option) : null
      if (!types) return null
      for (const type of types) all.add(type)
    }
    return all
  }
  const declared = Array.isArray(schema.type) ? schema.type.map(String) : [schema.type]
  if (typeof declared[0] !== 'string') return null
  // JSON has one number type; a schema's integer accepts some of its values.
  return new Set(declared.map((type) => (type === 'integer' ? 'number' : String(type))))
}

function jsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

/** One value of every JSON type; none of them survives coercion into another type any more. */
const JSON_VALUES: Record<string, unknown> = {
  string: 'wrong type',
  number: 42,
  boolean: true,
  null: null,
  array: ['wrong type'],
  object: { wrong: true },
}

/** Characters no text field may hold (a password refuses only NUL), by name. */
const CONTROL_CHARACTERS: Record<string, string> = {
  NUL: '\u0000',
  ESC: '\u001b',
  LF: '\n',
  DEL: '\u007f',
  'RTL override': '\u202e',
  'LTR isolate': '\u2066',
}

/** A body field the generator can reach: its path from the body root and its schema. */
interface Slot {
  path: string[]
  schema: Schema
}

/**
 * Every field of the body, nested ones too. A map (patternProperties, e.g. `credentials`) has no
 * fixed names: its fields are the keys the valid body gives it.
 */
function slots(schema: Schema, value: unknown, path: string[] = []): Slot[] {
  const out: Slot[] = []
  const fields: [string, unknown][] = isSchema(schema.properties)
    ? Object.entries(schema.properties)
    : []
  if (isSchema(schema.patternProperties) && isSchema(value)) {
    const patterns = Object.values(schema.patternProperties)
    for (const key of Object.keys(value)) fields.push([key, patterns[0]])
  }
  for (const [name, child] of fields) {
    if (!isSchema(child)) continue
    const childValue = isSchema(value) ? value[name] : undefined
    out.push({ path: [...path, name], schema: child }, ...slots(child, childValue, [...path, name]))
  }
  return out
}

const isObjectSchema = (schema: Schema) =>
  schema.type === 'object' || isSchema(schema.properties) || isSchema(schema.patternProperties)

/** The valid body with one value replaced (or added) at `path`. */
function withValue(valid: Schema, path: string[], value: unknown): Schema {
  const copy = structuredClone(valid)
  let target: Record<string, unknown> = copy
  for (const key of path.slice(0, -1)) {
    if (!isSchema(target[key])) target[key] = {}
    target = target[key] as Record<string, unknown>
  }
  target[path[path.length - 1] as string] = value
  return copy
}

const valueAt = (valid: unknown, path: string[]): unknown =>
  path.reduce<unknown>((at, key) => (isSchema(at) ? at[key] : undefined), valid)

/** Strict-JSON and text cases for every field of a body schema, each refused without a change. */
function fieldCases(schema: Schema, valid: unknown): FuzzCase[] {
  const refused = (...fields: string[]): Expect => ({ ...invalid(...fields), unchanged: true })
  const cases: FuzzCase[] = []
  const objects: string[][] = [[]]
  for (const { path, schema: field } of slots(schema, valid)) {
    const name = path.join('.')
    if (isObjectSchema(field)) objects.push(path)
    const accepted = acceptedTypes(field)
    if (accepted)
      for (const [type, value] of Object.entries(JSON_VALUES))
        if (!accepted.has(type))
          cases.push({
            name: `${type} for ${name}`,
            body: (v) => withValue(v, path, value),
            expect: refused(name),
          })
    if (field.type !== 'string' || 'enum' in field || 'const' in field) continue
    const sample = valueAt(valid, path)
    const text = typeof sample === 'string' && sample.length > 0 ? sample : 'Sample value'
    // A password keeps every character as typed except NUL; other text refuses them all.
    const isText = Array.isArray(field.transform) && field.transform.includes('trim')
    for (const [label, char] of Object.entries(CONTROL_CHARACTERS)) {
      if (!isText && label !== 'NUL') continue
      cases.push({
        name: `${label} in ${name}`,
        body: (v) => withValue(v, path, `${text.slice(0, 1)}${char}${text.slice(1)}`),
        expect: refused(name),
      })
    }
    if (isText && typeof field.minLength === 'number' && field.minLength > 0)
      cases.push({
        name: `only spaces for ${name}`,
        body: (v) => withValue(v, path, ' '.repeat(field.minLength as number)),
        expect: refused(name),
      })
  }
  for (const path of objects) {
    const name = [...path, 'unexpectedField'].join('.')
    cases.push({
      name: `unknown field ${name}`,
      body: (v) => withValue(v, [...path, 'unexpectedField'], 'surprise'),
      expect: refused(name),
    })
  }
  return cases
}

function bodyCases(route: RouteAccess, valid: unknown): FuzzCase[] {
  const schema = isSchema(route.schema.body) ? route.schema.body : undefined
  // A route without a body schema ignores a body it can parse; that is not a failure.
  const rejected = schema ? invalid('body') : { mayPass: true }
  const cases: FuzzCase[] = [
    json('broken JSON', '{"label": "x",', invalid('body')),
    json('empty JSON body', '', invalid('body')),
    json('prototype poisoning', '{"__proto__": {"admin": true}}', invalid('body')),
    json(
      'constructor poisoning',
      '{"constructor": {"prototype": {"admin": true}}}',
      invalid('body'),
    ),
    json('deeply nested JSON', `${'['.repeat(20_000)}${']'.repeat(20_000)}`, rejected),
    json('null body', 'null', rejected),
    { name: 'array body', body: (valid) => [valid], expect: rejected },
    {
      name: 'text/plain body',
      body: () => 'just some text',
      contentType: 'text/plain',
      expect: rejected,
    },
    {
      name: 'form body',
      body: () => 'a=1&b=2',
      contentType: 'application/x-www-form-urlencoded',
      expect: { status: 415, code: ErrorCode.UnsupportedMediaType },
    },
  ]
  const properties = schema && isSchema(schema.properties) ? schema.properties : {}
  const tooLarge = { status: 413, code: ErrorCode.PayloadTooLarge }
  if (Object.keys(properties).length === 0)
    cases.push({ name: '1 MB string', body: () => ({ junk: 'a'.repeat(MB) }), expect: tooLarge })
  for (const [name, property] of Object.entries(properties)) {
    if (!isSchema(property) || property.type !== 'string') continue
    cases.push({
      name: `1 MB ${name}`,
      body: (v) => ({ ...v, [name]: 'a'.repeat(MB) }),
      expect: tooLarge,
    })
    if (typeof property.maxLength === 'number' && property.maxLength < 100_000) {
      const long = 'a'.repeat(property.maxLength + 1)
      cases.push({
        name: `over-long ${name}`,
        body: (v) => ({ ...v, [name]: long }),
        expect: invalid(name),
      })
    }
  }
  for (const name of schema ? requiredOf(schema) : []) {
    cases.push({
      name: `missing ${name}`,
      body: (valid) => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== name)),
      expect: invalid(name),
    })
  }
  if (schema) cases.push(...fieldCases(schema, valid))
  return cases
}

function paramCases(route: RouteAccess): FuzzCase[] {
  return pathParams(route.url).flatMap((name) => {
    // An over-long or badly encoded URL is refused by the router before any param is known.
    const named = { fields: [name, 'url'] }
    const values: Record<string, string> = {
      'not-a-uuid': 'not-a-uuid',
      'very long': 'x'.repeat(5000),
      'bad percent-encoding': '%E0%A4%A',
      'encoded traversal': '..%2F..%2Fetc%2Fpasswd',
      unicode: encodeURIComponent('ünïcødé-🙂'),
      'SQL-looking': encodeURIComponent("' or 1=1 --"),
      'unknown id': randomUUID(),
    }
    return Object.entries(values).map(([label, value]) => ({
      name: `:${name} ${label}`,
      params: { [name]: value },
      expect: named,
    }))
  })
}

function queryCases(route: RouteAccess): FuzzCase[] {
  const schema = isSchema(route.schema.querystring) ? route.schema.querystring : undefined
  const cases: FuzzCase[] = [
    {
      name: 'junk query string',
      query: 'junk=1&a[b]=c&__proto__[admin]=1&constructor[prototype][x]=1&%E0%A4%A=1&=&&;;',
      expect: schema?.additionalProperties === false ? invalid('junk') : { mayPass: true },
    },
  ]
  const properties = schema && isSchema(schema.properties) ? schema.properties : {}
  for (const [name, property] of Object.entries(properties)) {
    if (!isSchema(property)) continue
    const types = acceptedTypes(property)
    let value: string | undefined
    if (Array.isArray(property.enum)) value = 'not-an-option'
    else if (types?.has('integer') || types?.has('number')) value = 'not-a-number'
    else if (types?.has('boolean')) value = 'maybe'
    else if (typeof property.maxLength === 'number') value = 'x'.repeat(property.maxLength + 1)
    if (value !== undefined)
      cases.push({ name: `bad query ${name}`, query: `${name}=${value}`, expect: invalid(name) })
  }
  return cases
}

function check(t: Test, c: FuzzCase, { res, before, after }: Sent) {
  const label = `${c.name} → ${res.statusCode} ${res.body.slice(0, 160)}`
  t.ok(res.statusCode < 500, `no 5xx: ${label}`)
  if (!c.expect.mayPass) t.ok(res.statusCode >= 400 && res.statusCode < 500, `4xx: ${label}`)
  if (c.expect.status !== undefined) t.equal(res.statusCode, c.expect.status, label)
  if (c.expect.unchanged) t.same(after, before, `nothing changed: ${c.name}`)
  if (res.statusCode < 400) return
  assertErrorShape(t, res, c.name)
  const body = res.json() as { code: string }
  if (c.expect.code !== undefined) t.equal(body.code, c.expect.code, label)
  const fields = c.expect.fields
  if (body.code === ErrorCode.ValidationFailed && fields) {
    const named = validationFields(res)
    t.ok(
      named.some((field) => fields.includes(field)),
      `names ${fields.join(' or ')}: ${label}`,
    )
  }
}

// Every route gets many requests: on embedded PGlite and a busy machine that outlasts tap's
// 120 s default for one file.
t.setTimeout(5 * 60_000)

// SANDBOX: a request that slips through never reaches a real provider.
const { app } = await build(t, { config: { SANDBOX: '1' } })

/**
 * What a body could change, read through the API as the team's owner: setup, the owner's
 * workspaces, the members, the accounts and every successful action in the audit trail. A refused
 * attempt may be audited as `failed` (connect records its refusals on purpose): that is the trail
 * doing its job, not a change.
 */
async function stateOf(ctx: RouteContext): Promise<unknown[]> {
  const ws = `/api/v1/workspaces/${ctx.team.workspaceId}`
  const urls = [
    '/api/v1/setup',
    '/api/v1/me',
    `${ws}/members`,
    `${ws}/cloud-accounts`,
    `${ws}/webhooks`,
  ]
  urls.push(`${ws}/audit?limit=100`)
  return Promise.all(
    urls.map(async (url) => {
      const res = await app.inject({ url, headers: ctx.team.owner.headers })
      const body = res.json() as { items?: { outcome?: string }[] }
      if (url.includes('/audit') && Array.isArray(body.items))
        body.items = body.items.filter((entry) => entry.outcome === 'success')
      return { url, status: res.statusCode, body }
    }),
  )
}

interface Sent {
  res: LightMyRequestResponse
  before?: unknown[]
  after?: unknown[]
}

/**
 * The fixtures of one request. Cases that must change nothing share one per route (`shared`),
 * read against one baseline: if a case does change something, its own check fails, and so may
 * the ones after it, which is what should happen anyway. Every other case gets its own.
 */
interface Fixture {
  ctx: RouteContext
  url: string
  baseline?: unknown[]
}

async function fixture(route: RouteAccess, c?: FuzzCase): Promise<Fixture> {
  const ctx = await routeContext(app)
  return { ctx, url: await fillUrl(route, ctx, c?.params) }
}

async function send(route: RouteAccess, c: FuzzCase, shared: Fixture): Promise<Sent> {
  const { ctx, url, baseline } = c.expect.unchanged ? shared : await fixture(route, c)
  const valid = await validBody(route, ctx)
  const payload = c.body ? c.body(isSchema(valid) ? valid : {}) : valid
  const res = await app.inject({
    method: route.method as InjectOptions['method'],
    url: c.query === undefined ? url : `${url}?${c.query}`,
    headers: {
      ...ctx.team.owner.headers,
      ...(c.contentType ? { 'content-type': c.contentType } : {}),
    },
    // Rate limits key on the address; a fresh one keeps the limiter from answering for validation.
    remoteAddress: nextIp(),
    payload: payload as InjectOptions['payload'],
  })
  if (!c.expect.unchanged) return { res }
  return { res, before: baseline, after: await stateOf(ctx) }
}

for (const route of app.routeAccess) {
  t.test(routeKey(route), async (t) => {
    const shared = await fixture(route)
    shared.baseline = await stateOf(shared.ctx)
    // The shape of a valid body (a map's keys, e.g. the credential's fields) decides the cases.
    const shape = await validBody(route, shared.ctx)
    // The broker's bodies are the provider's: passed on unread (test/broker/routes.test.ts).
    const ownBody = BODY_METHODS.has(route.method) && !route.url.endsWith('/proxy/*')
    const cases = [
      ...(ownBody ? bodyCases(route, shape) : []),
      ...paramCases(route),
      ...queryCases(route),
    ]
    // Side by side, a few at a time, so the provider simulator that fixtures connect to is not
    // what times out.
    const results: Sent[] = []
    let next = 0
    const worker = async () => {
      while (next < cases.length) {
        const i = next++
        results[i] = await send(route, cases[i] as FuzzCase, shared)
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker))
    cases.forEach((c, i) => check(t, c, results[i] as Sent))
  })
}

t.test('the generator covers strict JSON for nested fields', async (t) => {
  // Guards the generator itself: a schema change that hid the credential fields from it would
  // otherwise make the cases above pass by testing less.
  const connect = app.routeAccess.find(
    (r) => r.method === 'POST' && r.url === '/api/v1/workspaces/:workspaceId/cloud-accounts',
  ) as RouteAccess
  const names = fieldCases(
    connect.schema.body as Schema,
    await validBody(connect, await routeContext(app)),
  ).map((c) => c.name)
  for (const name of [
    'number for label',
    'null for label',
    'array for label',
    'string for credentials',
    'number for credentials.token',
    'NUL in credentials.token',
    'ESC in label',
    'only spaces for label',
    'unknown field unexpectedField',
    'unknown field credentials.unexpectedField',
  ])
    t.ok(names.includes(name), name)
})
