import { type CaseSpec, bearer, basic, j } from './types.js'

// Providers called with a token or a user and password in a header.

export const hetznerCloud: CaseSpec = {
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
}

export const hetznerRobot: CaseSpec = {
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
}

export const digitalocean: CaseSpec = {
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
}

export const vultr: CaseSpec = {
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
}

export const linode: CaseSpec = {
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
}

export const upcloud: CaseSpec = {
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
}

export const hostinger: CaseSpec = {
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
}

export const cloudflare: CaseSpec = {
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
}
