import type {
  ApiToken,
  BrokerCall,
  CloudAccount,
  CreatedApiToken,
  Member,
  PendingInvitation,
  Provider,
  Server,
  Webhook,
  WebhookDelivery,
} from '@cloudlink/shared'

/** Test data typed by the shared contracts, so a contract change breaks the fixtures too. */
export const WS = '11111111-1111-4111-8111-111111111111'
export const ACCOUNT_ID = '22222222-2222-4222-8222-222222222222'
export const TOKEN_ID = '77777777-7777-4777-8777-777777777777'

export function makeProvider(overrides: Partial<Provider> = {}): Provider {
  return {
    id: 'hetzner-cloud',
    name: 'Hetzner Cloud',
    authType: 'token',
    fields: [
      {
        name: 'token',
        label: 'API token',
        secret: true,
        required: true,
        pattern: '^[A-Za-z0-9]{64}$',
        placeholder: '64 characters',
        help: 'Security › API tokens, Read & Write',
      },
    ],
    consoleUrl: 'https://console.hetzner.cloud/projects',
    permissions: ['Read & Write'],
    capabilities: ['compute'],
    available: true,
    ...overrides,
  }
}

export const transip = (): Provider =>
  makeProvider({
    id: 'transip',
    name: 'TransIP',
    authType: 'keypair',
    fields: [
      { name: 'login', label: 'Account login', secret: false, required: true },
      {
        name: 'privateKey',
        label: 'Private key',
        secret: true,
        required: true,
        multiline: true,
        pattern: '^-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]+-----END [A-Z ]*PRIVATE KEY-----$',
      },
    ],
    permissions: ['API access enabled', 'Whitelisted IP not required'],
  })

export function makeAccount(overrides: Partial<CloudAccount> = {}): CloudAccount {
  const at = new Date(Date.now() - 3 * 3600_000).toISOString()
  return {
    id: ACCOUNT_ID,
    workspaceId: WS,
    provider: 'hetzner-cloud',
    label: 'Production',
    description: 'EU web servers',
    hint: 'LRK9••••CSDfj',
    status: 'connected',
    statusReason: null,
    identity: null,
    capabilities: ['compute'],
    access: {},
    isDefault: false,
    serverCount: 2,
    lastCheckedAt: at,
    lastHealthyAt: at,
    lastCheck: { outcome: 'ok', at, message: 'OK', latencyMs: 120 },
    stale: false,
    warnings: [],
    createdAt: at,
    updatedAt: at,
    createdBy: null,
    ...overrides,
  }
}

export function makeServer(overrides: Partial<Server> = {}): Server {
  return {
    id: '33333333-3333-4333-8333-333333333333',
    providerServerId: '4711',
    name: 'web-1',
    status: 'running',
    region: 'fsn1',
    ipv4: '203.0.113.10',
    lastSeenAt: new Date().toISOString(),
    ...overrides,
  }
}

export function makeMember(overrides: Partial<Member> = {}): Member {
  return {
    user: { id: '44444444-4444-4444-8444-444444444444', email: 'ada@example.com', name: 'Ada' },
    role: 'owner',
    joinedAt: new Date().toISOString(),
    ...overrides,
  }
}

export const VALID_TOKEN = 'a'.repeat(64)

export function makeApiToken(overrides: Partial<ApiToken> = {}): ApiToken {
  const day = 24 * 3600_000
  return {
    id: TOKEN_ID,
    name: 'Platform backend',
    hint: 'clk_••••9xYz',
    scopes: ['accounts:use'],
    accountIds: null,
    readOnly: false,
    expiresAt: new Date(Date.now() + 60 * day).toISOString(),
    createdAt: new Date(Date.now() - 30 * day).toISOString(),
    createdBy: {
      id: '44444444-4444-4444-8444-444444444444',
      name: 'Ada',
      email: 'ada@example.com',
    },
    lastUsedAt: null,
    lastUsedIp: null,
    ...overrides,
  }
}

/** A created token: the secret is 43 base62 characters after `clk_`, as the server mints them. */
export const SECRET = `clk_${'Ab3'.repeat(14)}9xYz`

export const makeCreatedToken = (overrides: Partial<ApiToken> = {}): CreatedApiToken => ({
  ...makeApiToken(overrides),
  token: SECRET,
})

export function makeBrokerCall(overrides: Partial<BrokerCall> = {}): BrokerCall {
  return {
    id: '88888888-8888-4888-8888-888888888888',
    at: new Date().toISOString(),
    token: { id: TOKEN_ID, name: 'Platform backend' },
    accountId: ACCOUNT_ID,
    provider: 'hetzner-cloud',
    method: 'GET',
    origin: 'https://api.hetzner.cloud',
    path: '/v1/servers?page=…',
    status: 200,
    latencyMs: 84,
    ...overrides,
  }
}

export const INVITATION_ID = '99999999-9999-4999-8999-999999999999'

export function makeInvitation(overrides: Partial<PendingInvitation> = {}): PendingInvitation {
  const day = 24 * 3600_000
  return {
    id: INVITATION_ID,
    email: 'bo@example.com',
    role: 'member',
    expiresAt: new Date(Date.now() + 6 * day).toISOString(),
    createdAt: new Date(Date.now() - day).toISOString(),
    invitedBy: {
      id: '44444444-4444-4444-8444-444444444444',
      name: 'Ada',
      email: 'ada@example.com',
    },
    ...overrides,
  }
}

export const WEBHOOK_ID = '55555555-5555-4555-8555-555555555555'

export function makeWebhook(overrides: Partial<Webhook> = {}): Webhook {
  const at = new Date(Date.now() - 3600_000).toISOString()
  return {
    id: WEBHOOK_ID,
    url: 'https://hooks.example.com/cloudlink',
    description: 'Pager',
    events: ['account.needs_attention', 'account.expired'],
    enabled: true,
    disabledReason: null,
    failingSince: null,
    pending: 0,
    createdAt: at,
    updatedAt: at,
    createdBy: null,
    ...overrides,
  }
}

export function makeDelivery(overrides: Partial<WebhookDelivery> = {}): WebhookDelivery {
  return {
    id: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
    event: 'account.needs_attention',
    at: new Date().toISOString(),
    attempt: 1,
    status: 'delivered',
    responseStatus: 200,
    durationMs: 42,
    ...overrides,
  }
}
