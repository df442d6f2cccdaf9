import type { ProviderId } from '@cloudlink/shared'
import type { Credentials, Simulator } from '../../src/simulators/index.js'
import { awsParse, awsSend, ovhSend, transipSend } from './signed.js'
import { AZURE_SIM_SUBSCRIPTION } from '../../src/simulators/providers/azure.js'
import { GCP_SIM_PROJECT } from '../../src/simulators/providers/gcp.js'

/** What the shared tests need to know about each provider: how to call it and what it answers. */
export interface ProviderCase {
  id: ProviderId
  format: Record<string, RegExp>
  /** The call an app makes to verify a credential. */
  verifyPath: string
  listPath: string
  /** providerServerIds in a list answer. */
  serverIds(body: unknown): string[]
  /** Headers that carry `c`; signed schemes build theirs per request in `send` instead. */
  authHeaders?(c: Credentials): Record<string, string>
  /**
   * Signed schemes: performs the request as `c`, signing method, URL and time, or first trading the
   * key for a token (TransIP). Returns the answer to the call (or to the refused token exchange).
   */
  send?(
    sim: Simulator,
    path: string,
    c: Credentials | undefined,
    init: RequestInit,
  ): Promise<Response>
  /** The headers that must reach the log (default: the keys of `authHeaders`). */
  credentialHeaders?: string[]
  /** Bodies that are not JSON (AWS XML), reduced to what the tests compare (no request ids). */
  parse?(text: string): unknown
  /** What the request log should record as the credential. */
  logged(c: Credentials): string
  unauthorized: { status: number; body: unknown }
  /** When a request with no credential at all gets another answer than an unknown one. */
  unauthorizedMissing?: { status: number; body: unknown }
  /** When a revoked credential gets another answer than an unknown one (per call: AWS's differ). */
  unauthorizedRevoked?: Record<'verify' | 'list', { status: number; body: unknown }>
  /** The answer to a rate-limit fault with retryAfter 7, and the headers that must come with it. */
  rateLimited: { status: number; body: unknown; headers: string[] }
}

const bearer = (token: string | undefined) => ({ authorization: `Bearer ${token}` })
const basic = (c: Credentials) => `${c.username}:${c.password}`
const j = (body: unknown) => body as Record<string, unknown>
const invalidCredential = {
  errorCode: 'INVALID_CREDENTIAL',
  httpCode: '403 Forbidden',
  message: 'This credential is not valid',
}

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
  {
    id: 'upcloud',
    // Issued credentials are API tokens; the Basic form is covered in upcloud.test.ts.
    format: { token: /^ucat_[0-9A-HJKMNP-TV-Z]{26}$/ },
    verifyPath: '/1.3/account',
    listPath: '/1.3/server',
    serverIds: (b) =>
      (b as { servers: { server: { uuid: string }[] } }).servers.server.map((s) => s.uuid),
    authHeaders: (c) =>
      c.token
        ? bearer(c.token)
        : { authorization: `Basic ${Buffer.from(basic(c)).toString('base64')}` },
    logged: (c) => c.token ?? basic(c),
    unauthorized: {
      status: 401,
      body: {
        type: 'https://api.upcloud.com/1.3/errors#ERROR_AUTHENTICATION_FAILED',
        title: 'Authentication failed using the given token.',
        status: 401,
      },
    },
    rateLimited: {
      status: 429,
      body: {
        type: 'https://api.upcloud.com/1.3/errors#ERROR_RATE_LIMIT_EXCEEDED',
        title: 'Too many requests.',
        status: 429,
      },
      headers: [],
    },
  },
  {
    id: 'hostinger',
    format: { token: /^[A-Za-z0-9]{48}$/ },
    verifyPath: '/api/vps/v1/virtual-machines',
    listPath: '/api/vps/v1/virtual-machines',
    serverIds: (b) => (b as { id: number }[]).map((s) => String(s.id)),
    authHeaders: (c) => bearer(c.token),
    logged: (c) => c.token as string,
    unauthorized: {
      status: 401,
      body: { message: 'Unauthenticated', correlation_id: '26a91bd9-6f3c-4c4b-9d1a-3c1f7e2b8a40' },
    },
    rateLimited: {
      status: 429,
      body: {
        message: 'Too Many Attempts.',
        correlation_id: '26a91bd9-6f3c-4c4b-9d1a-3c1f7e2b8a40',
      },
      headers: ['x-ratelimit-limit', 'x-ratelimit-remaining', 'retry-after'],
    },
  },
  {
    id: 'cloudflare',
    // Issued credentials are user tokens; account-owned ones are covered in cloudflare.test.ts.
    format: { token: /^cfut_[A-Za-z0-9]{40}[a-f0-9]{8}$/ },
    verifyPath: '/client/v4/user/tokens/verify',
    // Cloudflare has no servers: the simulator's servers are the account's zones.
    listPath: '/client/v4/zones',
    serverIds: (b) => (j(b).result as { id: string }[]).map((z) => z.id),
    authHeaders: (c) => bearer(c.token),
    logged: (c) => c.token as string,
    unauthorized: {
      status: 401,
      body: {
        success: false,
        errors: [{ code: 1000, message: 'Invalid API Token' }],
        messages: [],
        result: null,
      },
    },
    rateLimited: {
      status: 429,
      body: {
        success: false,
        errors: [{ code: 971, message: 'Please wait and consider throttling your request speed' }],
        messages: [],
        result: null,
      },
      headers: ['ratelimit', 'ratelimit-policy', 'retry-after'],
    },
  },
  {
    id: 'scaleway',
    format: {
      accessKey: /^SCW[A-Z0-9]{17}$/,
      secretKey: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    },
    // The app's verify call, GET /iam/v1alpha1/api-keys/{accessKey}, depends on the credential
    // (scaleway.test.ts); this is the fallback verify call trufflehog uses.
    verifyPath: '/instance/v1/zones/fr-par-1/servers?per_page=1',
    listPath: '/instance/v1/zones/fr-par-1/servers',
    serverIds: (b) => (j(b).servers as { id: string }[]).map((s) => s.id),
    authHeaders: (c) => ({ 'x-auth-token': c.secretKey as string }),
    logged: (c) => c.secretKey as string,
    unauthorized: {
      status: 401,
      body: {
        message: 'authentication is denied',
        method: 'api_key',
        reason: 'not_found',
        type: 'denied_authentication',
      },
    },
    rateLimited: {
      status: 429,
      body: { message: 'rate limit exceeded', type: 'too_many_requests' },
      headers: [],
    },
  },
  {
    id: 'transip',
    format: {
      login: /^[a-z0-9][a-z0-9-]+$/,
      privateKey: /^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n$/,
    },
    verifyPath: '/v6/api-test',
    listPath: '/v6/vps',
    serverIds: (b) => (j(b).vpss as { name: string }[]).map((v) => v.name),
    send: transipSend,
    credentialHeaders: ['authorization'],
    logged: (c) => c.login as string,
    unauthorized: { status: 401, body: { error: 'Authentication failed' } },
    unauthorizedMissing: {
      status: 401,
      body: { error: 'Your access token is invalid or missing' },
    },
    rateLimited: {
      status: 429,
      body: { error: 'Rate limit exceeded' },
      headers: ['x-rate-limit-limit', 'x-rate-limit-remaining', 'x-rate-limit-reset'],
    },
  },
  {
    id: 'aws',
    format: { accessKeyId: /^AKIA[A-Z2-7]{16}$/, secretAccessKey: /^[A-Za-z0-9+/]{40}$/ },
    verifyPath: '/?Action=GetCallerIdentity&Version=2011-06-15',
    listPath: '/?Action=DescribeInstances&Version=2016-11-15',
    serverIds: (b) => (b as { instanceIds: string[] }).instanceIds,
    send: awsSend,
    parse: awsParse,
    credentialHeaders: ['authorization', 'x-amz-date'],
    logged: (c) => c.accessKeyId as string,
    unauthorized: {
      status: 403,
      body: {
        code: 'InvalidClientTokenId',
        message: 'The security token included in the request is invalid.',
      },
    },
    unauthorizedMissing: {
      status: 403,
      body: {
        code: 'MissingAuthenticationToken',
        message: 'Request is missing Authentication Token',
      },
    },
    unauthorizedRevoked: {
      verify: {
        status: 403,
        body: {
          code: 'InvalidClientTokenId',
          message: 'The security token included in the request is invalid.',
        },
      },
      list: {
        status: 401,
        body: {
          code: 'AuthFailure',
          message: 'AWS was not able to validate the provided access credentials',
        },
      },
    },
    rateLimited: {
      status: 400,
      body: { code: 'Throttling', message: 'Rate exceeded' },
      headers: [],
    },
  },
  ...(['ovh-eu', 'ovh-ca'] as const).map((id): ProviderCase => ({
    id,
    format: {
      applicationKey: /^[A-Za-z0-9]{16}$/,
      applicationSecret: /^[A-Za-z0-9]{32}$/,
      consumerKey: /^[A-Za-z0-9]{32}$/,
    },
    verifyPath: '/1.0/auth/currentCredential',
    listPath: '/1.0/dedicated/server',
    serverIds: (b) => b as string[],
    send: ovhSend,
    credentialHeaders: [
      'x-ovh-application',
      'x-ovh-consumer',
      'x-ovh-timestamp',
      'x-ovh-signature',
    ],
    logged: (c) => c.applicationKey as string,
    unauthorized: {
      status: 403,
      body: {
        errorCode: 'INVALID_KEY',
        httpCode: '403 Forbidden',
        message: 'This application key is invalid',
      },
    },
    unauthorizedMissing: {
      status: 401,
      body: {
        errorCode: 'NOT_AUTHENTICATED',
        httpCode: '401 Unauthorized',
        message: 'You must login first',
      },
    },
    unauthorizedRevoked: {
      verify: { status: 403, body: invalidCredential },
      list: { status: 403, body: invalidCredential },
    },
    rateLimited: {
      status: 429,
      body: {
        errorCode: 'TOO_MANY_REQUESTS',
        httpCode: '429 Too Many Requests',
        message: 'Too many requests',
      },
      headers: ['retry-after'],
    },
  })),
  {
    id: 'azure',
    format: { token: /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/ },
    verifyPath: '/subscriptions?api-version=2022-12-01',
    listPath: `/subscriptions/${AZURE_SIM_SUBSCRIPTION}/providers/Microsoft.Compute/virtualMachines?api-version=2024-07-01`,
    serverIds: (b) =>
      (j(b).value as { properties: { vmId: string } }[]).map((v) => v.properties.vmId),
    authHeaders: (c) => bearer(c.token),
    logged: (c) => c.token as string,
    unauthorized: {
      status: 401,
      body: {
        error: { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' },
      },
    },
    rateLimited: {
      status: 429,
      body: { error: { code: 'TooManyRequests', message: 'The request is being throttled.' } },
      headers: ['retry-after', 'x-ms-ratelimit-remaining-subscription-reads'],
    },
  },
  {
    id: 'gcp',
    format: { token: /^ya29\.[A-Za-z0-9_-]{10,}$/ },
    verifyPath: '/v1/projects?pageSize=1',
    listPath: `/compute/v1/projects/${GCP_SIM_PROJECT.projectId}/aggregated/instances`,
    serverIds: (b) =>
      Object.values(j(b).items as Record<string, { instances?: { id: string }[] }>).flatMap(
        (zone) => (zone.instances ?? []).map((i) => i.id),
      ),
    authHeaders: (c) => bearer(c.token),
    logged: (c) => c.token as string,
    unauthorized: {
      status: 401,
      body: {
        error: {
          code: 401,
          message:
            'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
          status: 'UNAUTHENTICATED',
        },
      },
    },
    rateLimited: {
      status: 429,
      body: {
        error: {
          code: 429,
          message: "Quota exceeded for quota metric 'Read requests'.",
          status: 'RESOURCE_EXHAUSTED',
        },
      },
      headers: ['retry-after'],
    },
  },
]

/** GET `path` on the simulator, authenticated as `c` (or with no credential at all). */
export async function call(sim: Simulator, path: string, c?: Credentials, init: RequestInit = {}) {
  const pc = cases.find((x) => x.id === sim.id)!
  const headers = {
    ...(c && pc.authHeaders ? pc.authHeaders(c) : {}),
    ...(init.headers as Record<string, string>),
  }
  const res = pc.send
    ? await pc.send(sim, path, c, init)
    : await fetch(sim.url + path, { ...init, headers })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: (pc.parse ?? parseOrText)(text), text }
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
