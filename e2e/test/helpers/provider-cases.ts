import type { ProviderId } from '@cloudlink/shared'
import type { Credentials, Simulator } from '../../src/simulators/index.js'

/** What the shared tests need to know about each provider: how to call it and what it answers. */
export interface ProviderCase {
  id: ProviderId
  format: Record<string, RegExp>
  /** The call an app makes to verify a credential. */
  verifyPath: string
  listPath: string
  /** providerServerIds in a list answer. */
  serverIds(body: unknown): string[]
  authHeaders(c: Credentials): Record<string, string>
  /** What the request log should record as the credential. */
  logged(c: Credentials): string
  unauthorized: { status: number; body: unknown }
  /** The answer to a rate-limit fault with retryAfter 7, and the headers that must come with it. */
  rateLimited: { status: number; body: unknown; headers: string[] }
}

const bearer = (token: string | undefined) => ({ authorization: `Bearer ${token}` })
const basic = (c: Credentials) => `${c.username}:${c.password}`
const j = (body: unknown) => body as Record<string, unknown>

export const cases: ProviderCase[] = [
  {
    id: 'hetzner-cloud',
    format: { token: /^[A-Za-z0-9]{64}$/ },
    verifyPath: '/v1/locations',
    listPath: '/v1/servers',
    serverIds: (b) => (j(b).servers as { id: number }[]).map((s) => String(s.id)),
    authHeaders: (c) => bearer(c.token),
    logged: (c) => c.token as string,
    unauthorized: {
      status: 401,
      body: { error: { code: 'unauthorized', message: 'unable to authenticate' } },
    },
    rateLimited: {
      status: 429,
      body: {
        error: { code: 'rate_limit_exceeded', message: 'limit of 3600 requests per hour reached' },
      },
      headers: ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after'],
    },
  },
  {
    id: 'hetzner-robot',
    format: { username: /^#ws\+[A-Za-z0-9]{8}$/, password: /^.+$/ },
    verifyPath: '/server',
    listPath: '/server',
    serverIds: (b) =>
      (b as { server: { server_number: number } }[]).map((s) => String(s.server.server_number)),
    authHeaders: (c) => ({ authorization: `Basic ${Buffer.from(basic(c)).toString('base64')}` }),
    logged: basic,
    unauthorized: {
      status: 401,
      body: { error: { status: 401, code: 'UNAUTHORIZED', message: 'Unauthorized' } },
    },
    rateLimited: {
      status: 403,
      body: {
        error: {
          status: 403,
          code: 'RATE_LIMIT_EXCEEDED',
          message: 'rate limit exceeded',
          max_request: 200,
          interval: 3600,
        },
      },
      headers: [],
    },
  },
  {
    id: 'digitalocean',
    format: { token: /^dop_v1_[a-f0-9]{64}$/ },
    verifyPath: '/v2/account',
    listPath: '/v2/droplets',
    serverIds: (b) => (j(b).droplets as { id: number }[]).map((s) => String(s.id)),
    authHeaders: (c) => bearer(c.token),
    logged: (c) => c.token as string,
    unauthorized: {
      status: 401,
      body: { id: 'unauthorized', message: 'Unable to authenticate you.' },
    },
    rateLimited: {
      status: 429,
      body: { id: 'too_many_requests', message: 'API rate limit exceeded.' },
      headers: ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after'],
    },
  },
  {
    id: 'vultr',
    format: { apiKey: /^[A-Z0-9]{36}$/ },
    verifyPath: '/v2/account',
    listPath: '/v2/instances',
    serverIds: (b) => (j(b).instances as { id: string }[]).map((s) => s.id),
    authHeaders: (c) => bearer(c.apiKey),
    logged: (c) => c.apiKey as string,
    unauthorized: { status: 401, body: { error: 'Invalid API token.', status: 401 } },
    rateLimited: {
      status: 429,
      body: { error: 'Rate limit reached - please try your request again later.', status: 429 },
      headers: [],
    },
  },
  {
    id: 'linode',
    format: { token: /^[a-f0-9]{64}$/ },
    verifyPath: '/v4/profile',
    listPath: '/v4/linode/instances',
    serverIds: (b) => (j(b).data as { id: number }[]).map((s) => String(s.id)),
    authHeaders: (c) => bearer(c.token),
    logged: (c) => c.token as string,
    unauthorized: { status: 401, body: { errors: [{ reason: 'Invalid Token' }] } },
    rateLimited: {
      status: 429,
      body: { errors: [{ reason: 'Too many requests' }] },
      headers: ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after'],
    },
  },
]

/** GET `path` on the simulator, authenticated as `c` (or with no credential at all). */
export async function call(sim: Simulator, path: string, c?: Credentials, init: RequestInit = {}) {
  const pc = cases.find((x) => x.id === sim.id)!
  const headers = { ...(c ? pc.authHeaders(c) : {}), ...(init.headers as Record<string, string>) }
  const res = await fetch(sim.url + path, { ...init, headers })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: parseOrText(text), text }
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** Control API call. */
export async function control(sim: Simulator, method: string, path: string, body?: unknown) {
  const res = await fetch(`${sim.url}/__sim/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined }
}
