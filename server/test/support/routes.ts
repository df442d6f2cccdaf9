import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { ErrorCode, type Role } from '@cloudlink/shared'
import type { RouteAccess } from '../../src/plugins/core/rbac.js'
import { newSession, newUser, PASSWORD, team, type Team } from './fixtures.js'
import { nextIp } from './http.js'
import { enrolTotp, mfaToken } from './mfa.js'
import { mintToken } from './tokens.js'

/** A new password no list has: what the password routes are sent when they should succeed. */
export const NEW_PASSWORD = 'violet kettles hum at dawn 42'

/** What the generated tests know when they fill in one request: the app and a fresh team. */
export interface RouteContext {
  app: FastifyInstance
  team: Team
}

export async function routeContext(app: FastifyInstance): Promise<RouteContext> {
  return { app, team: await team(app) }
}

type ParamFactory = (ctx: RouteContext) => string | Promise<string>

/**
 * A real value for every path param name used under /api/v1. A route whose param is missing here
 * fails its generated tests on purpose: add the factory instead of letting the route go untested.
 */
export const paramFactory: Record<string, ParamFactory> = {
  workspaceId: ({ team }) => team.workspaceId,
  userId: ({ team }) => team.member.user.id,
  token: ({ app, team }) => invite(app, team),
  accountId: ({ app, team }) => connectDemoAccount(app, team),
  tokenId: async ({ app, team }) => (await mintToken(app, team)).created.id,
  invitationId: ({ app, team }) => inviteId(app, team),
  // Another session of the team's owner: the owner ends it; to anyone else it is unknown.
  sessionId: async ({ app, team }) =>
    (app.jwt.decode((await newSession(app, team.owner.user)).token) as { jti: string }).jti,
  resetToken: async ({ app, team }) => resetToken(app, team),
  webhookId: ({ app, team }) => addSampleWebhook(app, team),
}

/** A public address: accepted by the URL policy without WEBHOOK_ALLOW_* and without DNS. */
export const SAMPLE_WEBHOOK_URL = 'https://93.184.215.14/hook'

/**
 * Bodies that need real data to be valid; every other body is derived from the route's schema.
 * Made-up login credentials would get a 401, which the matrix would read as an access failure.
 */
export const bodyFactory: Record<string, (ctx: RouteContext) => unknown> = {
  'POST /api/v1/me/password': () => ({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD }),
  'POST /api/v1/auth/reauth': () => ({ password: PASSWORD }),
  'POST /api/v1/password-resets/:resetToken': () => ({ password: NEW_PASSWORD }),
  'PATCH /api/v1/workspaces/:workspaceId': () => ({ name: 'Renamed workspace' }),
  // Well-formed codes; nobody in a fresh team has a second factor, so the answer is a 409.
  'POST /api/v1/me/mfa/totp/confirm': () => ({ code: '123456' }),
  'DELETE /api/v1/me/mfa/totp': () => ({ code: '123456' }),
  // A real second step: a person with TOTP, a live mfaToken and one of their recovery codes.
  'POST /api/v1/auth/login/mfa': async ({ app }) => {
    const person = await newUser(app, 'Mia Mfa')
    const { recoveryCodes } = await enrolTotp(app, person)
    return { mfaToken: await mfaToken(app, person.user.id), code: recoveryCodes[0] }
  },
  'POST /api/v1/auth/login': ({ team }) => ({ email: team.member.user.email, password: PASSWORD }),
  // Valid, so a refusal by the WORKSPACE_CREATION setting (in the handler) is what the matrix sees.
  'POST /api/v1/workspaces': () => ({ name: 'Sample workspace' }),
  // A credential that works, so a generated fault is the only thing wrong with the body.
  'POST /api/v1/workspaces/:workspaceId/cloud-accounts': ({ app }) => {
    const { provider, credentials } = goodDemo(app)
    return { provider, label: 'Sample value', description: 'Sample value', credentials }
  },
  // The same credential connectDemoAccount used, so the account stays the same account.
  'PUT /api/v1/workspaces/:workspaceId/cloud-accounts/:accountId/credentials': ({ app }) => ({
    credentials: goodDemo(app).credentials,
  }),
  'POST /api/v1/workspaces/:workspaceId/api-tokens': () => ({
    name: 'Sample token',
    scopes: ['accounts:read'],
  }),
  'POST /api/v1/workspaces/:workspaceId/webhooks': () => ({
    url: SAMPLE_WEBHOOK_URL,
    events: ['account.needs_attention'],
    description: 'Sample value',
  }),
  'PATCH /api/v1/workspaces/:workspaceId/webhooks/:webhookId': () => ({
    url: SAMPLE_WEBHOOK_URL,
    events: ['account.expired'],
    enabled: true,
    description: 'Sample value',
  }),
}

/** The sandbox's first working demo credential; the app must be built with SANDBOX=1. */
export function goodDemo(app: FastifyInstance): {
  provider: string
  credentials: Record<string, string>
} {
  const demo = app.sandbox.demoCredentials.find((d) => d.kind === 'good')
  if (!demo) throw new Error('no demo credential: build the app with config { SANDBOX: "1" }')
  return demo
}

/**
 * Refusals that come from an instance setting, not from the route's access level, under the
 * default configuration. The RBAC matrix expects these answers instead of "let through".
 */
const tokensOnly = { status: 403, code: ErrorCode.TokenScope }

export const policyDenials: Record<
  string,
  Partial<Record<'outsider' | 'member' | 'owner', { status: number; code: string }>>
> = {
  // WORKSPACE_CREATION=owners: the team's member owns no workspace (the outsider owns one).
  'POST /api/v1/workspaces': { member: { status: 403, code: ErrorCode.Forbidden } },
  // The session belongs to the team's owner: to anyone else it is an unknown session.
  'DELETE /api/v1/me/sessions/:sessionId': {
    outsider: { status: 404, code: ErrorCode.NotFound },
    member: { status: 404, code: ErrorCode.NotFound },
  },
  // The broker is for API tokens only: a member's (or owner's) session is refused by the handler.
  ...Object.fromEntries(
    [
      'POST /api/v1/workspaces/:workspaceId/cloud-accounts/:accountId/session',
      ...['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].map(
        (method) => `${method} /api/v1/workspaces/:workspaceId/cloud-accounts/:accountId/proxy/*`,
      ),
    ].map((key) => [key, { member: tokensOnly, owner: tokensOnly }]),
  ),
}

export const routeKey = (route: RouteAccess) => `${route.method} ${route.url}`

export const pathParams = (url: string): string[] =>
  [...url.matchAll(/:(\w+)/g)].map((match) => match[1] as string)

/** Creates an invitation through the API as the team's owner and returns its token. */
export async function invite(
  app: FastifyInstance,
  team: Team,
  email = `invitee-${randomUUID().slice(0, 8)}@example.test`,
  role: Role = 'member',
): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/workspaces/${team.workspaceId}/invitations`,
    headers: team.owner.headers,
    payload: { email, role },
  })
  if (res.statusCode !== 201) throw new Error(`invitation failed: ${res.statusCode} ${res.body}`)
  return (res.json() as { token: string }).token
}

/** Creates an invitation through the API as the team's owner and returns its id. */
export async function inviteId(app: FastifyInstance, team: Team): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/workspaces/${team.workspaceId}/invitations`,
    headers: team.owner.headers,
    payload: { email: `invitee-${randomUUID().slice(0, 8)}@example.test`, role: 'member' },
  })
  if (res.statusCode !== 201) throw new Error(`invitation failed: ${res.statusCode} ${res.body}`)
  return (res.json() as { id: string }).id
}

/** The token of a reset link the team's owner issues for the member. */
export async function resetToken(app: FastifyInstance, team: Team): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/workspaces/${team.workspaceId}/members/${team.member.user.id}/password-reset`,
    headers: team.owner.headers,
  })
  if (res.statusCode !== 201) throw new Error(`reset link failed: ${res.statusCode} ${res.body}`)
  return (res.json() as { url: string }).url.split('/').pop() as string
}

/** Creates a webhook through the API as the team's owner and returns its id. */
export async function addSampleWebhook(app: FastifyInstance, team: Team): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/workspaces/${team.workspaceId}/webhooks`,
    headers: team.owner.headers,
    payload: { url: SAMPLE_WEBHOOK_URL, events: ['account.expired'] },
  })
  if (res.statusCode !== 201) throw new Error(`webhook failed: ${res.statusCode} ${res.body}`)
  return (res.json() as { id: string }).id
}

/**
 * Connects a cloud account through the API with the sandbox's demo credential and returns its id.
 * Needs an app built with SANDBOX=1, so generated requests never reach a real provider.
 */
export async function connectDemoAccount(app: FastifyInstance, team: Team): Promise<string> {
  const { provider, credentials } = goodDemo(app)
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/workspaces/${team.workspaceId}/cloud-accounts`,
    headers: team.owner.headers,
    // Connecting is rate limited per address; fixtures must not eat the budget of the test itself.
    remoteAddress: nextIp(),
    payload: { provider, label: 'Fixture account', credentials },
  })
  if (res.statusCode !== 201)
    throw new Error(`connecting a demo account failed: ${res.statusCode} ${res.body}`)
  return (res.json() as { id: string }).id
}

/**
 * The route's URL with every param filled from `paramFactory`. `raw` values are put in as given,
 * unencoded, so malformed params reach the server exactly as written.
 */
export async function fillUrl(
  route: RouteAccess,
  ctx: RouteContext,
  raw: Record<string, string> = {},
): Promise<string> {
  let url = route.url
  for (const name of pathParams(route.url)) {
    let value = raw[name]
    if (value === undefined) {
      const factory = paramFactory[name]
      if (!factory)
        throw new Error(
          `${routeKey(route)}: no paramFactory for ':${name}'; add one in test/support/routes.ts`,
        )
      value = encodeURIComponent(await factory(ctx))
    }
    url = url.replace(`:${name}`, value)
  }
  return url
}

/** A valid body for the route, or undefined when it declares none. */
export async function validBody(route: RouteAccess, ctx: RouteContext): Promise<unknown> {
  const custom = bodyFactory[routeKey(route)]
  if (custom) return await custom(ctx)
  if (route.schema.body === undefined) return undefined
  return sampleValue(route.schema.body) ?? {}
}

type Schema = Record<string, unknown>

export const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * A value that satisfies a simple JSON schema, or undefined when it cannot be derived (patterns,
 * unknown formats). Objects get every property that can be derived, optional ones too: an
 * all-optional body such as the invitation accept body only does something with them.
 */
export function sampleValue(schema: unknown): unknown {
  if (!isSchema(schema)) return undefined
  if ('const' in schema) return schema.const
  if (Array.isArray(schema.enum)) return schema.enum[0]
  if (schema.default !== undefined) return schema.default
  const options = schema.anyOf ?? schema.oneOf
  if (Array.isArray(options)) {
    for (const option of options) {
      const value = sampleValue(option)
      if (value !== undefined) return value
    }
    return undefined
  }
  switch (schema.type) {
    case 'string':
      return sampleString(schema)
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1
    case 'boolean':
      return true
    case 'null':
      return null
    case 'array':
      return typeof schema.minItems === 'number' && schema.minItems > 0 ? undefined : []
    case 'object':
      return sampleObject(schema)
    default:
      return undefined
  }
}

function sampleString(schema: Schema): string | undefined {
  if (schema.pattern !== undefined) return undefined
  switch (schema.format) {
    case undefined:
      break
    case 'email':
      return `sample-${randomUUID().slice(0, 8)}@example.test`
    case 'uuid':
      return randomUUID()
    case 'date-time':
      return new Date().toISOString()
    default:
      return undefined
  }
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity
  return 'Sample value'.padEnd(min, 'x').slice(0, max)
}

function sampleObject(schema: Schema): Record<string, unknown> | undefined {
  const properties = isSchema(schema.properties) ? schema.properties : {}
  const required = requiredOf(schema)
  if (required.some((name) => !(name in properties))) return undefined
  const out: Record<string, unknown> = {}
  for (const [name, property] of Object.entries(properties)) {
    const value = sampleValue(property)
    if (value !== undefined) out[name] = value
    else if (required.includes(name)) return undefined
  }
  return out
}

export const requiredOf = (schema: Schema): string[] =>
  Array.isArray(schema.required) ? schema.required.filter((name) => typeof name === 'string') : []
