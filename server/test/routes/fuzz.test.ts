import t from 'tap'
import { randomUUID } from 'node:crypto'
import type { InjectOptions } from 'fastify'
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
  validBody,
} from '../support/routes.js'

// Generated from the registered route table: the owner sends every route malformed input, and
// the answer must be a 4xx in the error shape, never a 5xx.

type Schema = Record<string, unknown>

interface Expect {
  status?: number
  code?: string
  /** A VALIDATION_FAILED answer must name one of these in `details[].field`. */
  fields?: string[]
  /** The input is not wrong for this route (it declares no such schema): only "no 5xx" holds. */
  mayPass?: boolean
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
  if (Array.isArray(schema.enum)) return new Set(schema.enum.map((value) => typeof value))
  if ('const' in schema) return new Set([typeof schema.const])
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
  if (typeof schema.type === 'string') return new Set([schema.type])
  if (Array.isArray(schema.type)) return new Set(schema.type.map(String))
  return null
}

/**
 * A value of the wrong type that Ajv's `coerceTypes: 'array'` cannot turn into a right one
 * (a number would become a valid string, a one-item array a valid scalar).
 */
function wrongValue(schema: Schema): unknown {
  const types = acceptedTypes(schema)
  if (!types) return undefined
  if (!types.has('object')) return { wrong: true }
  if (!types.has('string')) return 'not an object'
  return undefined
}

function bodyCases(route: RouteAccess): FuzzCase[] {
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
    if (!isSchema(property)) continue
    const wrong = wrongValue(property)
    if (wrong !== undefined)
      cases.push({
        name: `wrong type for ${name}`,
        body: (v) => ({ ...v, [name]: wrong }),
        expect: invalid(name),
      })
    if (property.type !== 'string') continue
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
  cases.push({
    name: 'unknown field',
    body: (valid) => ({ ...valid, unexpectedField: 'surprise' }),
    expect: schema?.additionalProperties === false ? invalid('unexpectedField') : { mayPass: true },
  })
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

function check(t: Test, c: FuzzCase, res: Awaited<ReturnType<typeof send>>) {
  const label = `${c.name} → ${res.statusCode} ${res.body.slice(0, 160)}`
  t.ok(res.statusCode < 500, `no 5xx: ${label}`)
  if (!c.expect.mayPass) t.ok(res.statusCode >= 400 && res.statusCode < 500, `4xx: ${label}`)
  if (c.expect.status !== undefined) t.equal(res.statusCode, c.expect.status, label)
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

async function send(route: RouteAccess, c: FuzzCase) {
  const ctx = await routeContext(app)
  const url = await fillUrl(route, ctx, c.params)
  const valid = validBody(route, ctx)
  const payload = c.body ? c.body(isSchema(valid) ? valid : {}) : valid
  return app.inject({
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
}

for (const route of app.routeAccess) {
  t.test(routeKey(route), async (t) => {
    const cases = [
      ...(BODY_METHODS.has(route.method) ? bodyCases(route) : []),
      ...paramCases(route),
      ...queryCases(route),
    ]
    // Each case has its own fixtures, so they can run side by side.
    const results = await Promise.all(cases.map((c) => send(route, c)))
    cases.forEach((c, i) => check(t, c, results[i] as (typeof results)[number]))
  })
}
