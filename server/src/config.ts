import { Type, type Static } from 'typebox'
import Value from 'typebox/value'

const VaultKeysPattern =
  '^[A-Za-z0-9_.-]{1,40}:[A-Za-z0-9+/]{43}=(,[A-Za-z0-9_.-]{1,40}:[A-Za-z0-9+/]{43}=)*$'

/** Every setting the server reads. `process.env` is read here and nowhere else. */
export const ConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATA_DIR: Type.String({ minLength: 1, default: './.data' }),
  VAULT_KEYS: Type.Optional(Type.String({ pattern: VaultKeysPattern })),
  JWT_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://[^\\s/]+(/[^\\s]*)?$' })),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    default: 'info',
  }),
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  RECHECK_SCHEDULE: Type.String({ minLength: 1, default: 'daily' }),
  /** Checks in flight per provider: `4`, or a default plus overrides such as `4,hetzner-robot=1`. */
  RECHECK_CONCURRENCY: Type.String({
    pattern: '^([0-9]{1,3}|[a-z0-9-]{2,40}=[0-9]{1,3})(,([0-9]{1,3}|[a-z0-9-]{2,40}=[0-9]{1,3}))*$',
    default: '4',
  }),
  SANDBOX: Type.Enum(['0', '1', ''], { default: '' }),
  /**
   * Who may create workspaces besides first-run setup: `owners` (people who already own one),
   * `anyone` signed in, or `nobody`. Whoever owns a workspace can invite any address into it.
   */
  WORKSPACE_CREATION: Type.Enum(['owners', 'anyone', 'nobody'], { default: 'owners' }),
  PROVIDER_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 120000, default: 10000 }),
  /** A broker call's deadline for the provider's answer to start, and between two of its chunks. */
  BROKER_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600000, default: 60000 }),
  /**
   * Behind a reverse proxy: `1` (or a hop count) trusts that many proxies' X-Forwarded-For, or a
   * comma-separated list of proxy addresses/CIDRs. Unset: the socket address is the client.
   */
  TRUST_PROXY: Type.Optional(
    Type.String({ pattern: '^([0-9]{1,2}|[0-9a-fA-F.:/]+(,[0-9a-fA-F.:/]+)*)$' }),
  ),
  /**
   * How long a sweep's claim keeps other instances off an account: the time after which the
   * accounts an instance claimed and never checked (it was killed) are taken by another. It must
   * outlast the slowest check (two provider deadlines); see recheck/settings.ts.
   */
  RECHECK_LEASE_MS: Type.Integer({ minimum: 1000, maximum: 3600000, default: 600000 }),
  /** How long SIGTERM waits for in-flight requests and provider calls before cutting them. */
  SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 0, maximum: 600000, default: 25000 }),
  /** Outgoing mail for notifications and invitations: `smtp://user:pass@host:port` or `smtps://…`. */
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://[^\\s]+$' })),
  /** The sender of that mail: an address, or `Name <address>`. */
  MAIL_FROM: Type.Optional(Type.String({ pattern: '^[^\\r\\n]{3,320}$' })),
  /** Webhook URLs may be plain http:// (tests, receivers inside a trusted network). */
  WEBHOOK_ALLOW_HTTP: Type.Enum(['0', '1', ''], { default: '' }),
  /** Webhook URLs may point at private, loopback or link-local addresses. */
  WEBHOOK_ALLOW_PRIVATE: Type.Enum(['0', '1', ''], { default: '' }),
})
export type RawConfig = Static<typeof ConfigSchema>

export interface Config extends Omit<RawConfig, 'SANDBOX'> {
  SANDBOX: boolean
  /** True when no DATABASE_URL was given and the embedded PGlite database is used. */
  embedded: boolean
  /** PROVIDER_URL_<ID> overrides, keyed by the env name. */
  providerUrls: Record<string, string>
  /** OAUTH_<ID>_CLIENT_ID / _CLIENT_SECRET, keyed by the env name. */
  oauth: Record<string, string>
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`)
    this.name = 'ConfigError'
  }
}

const KNOWN = Object.keys(ConfigSchema.properties)
const INTEGER_KEYS = new Set(
  Object.entries(ConfigSchema.properties as Record<string, { type?: unknown }>)
    .filter(([, schema]) => schema.type === 'integer')
    .map(([key]) => key),
)

/**
 * Validates the environment and applies defaults. Throws ConfigError naming the first bad variable,
 * so the process can exit with a message a person can act on.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const picked: Record<string, unknown> = {}
  for (const key of KNOWN) {
    const value = env[key]
    if (value === undefined || value === '') continue
    // Value.Convert is lenient ('80.5' → 80, 'true' → 1, '0x50' → 80): a typo must not pick a port.
    if (INTEGER_KEYS.has(key) && !/^\d+$/.test(value))
      throw new ConfigError(key, 'invalid value (must be a whole number)')
    picked[key] = value
  }
  const converted = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, picked))
  const first = Value.Errors(ConfigSchema, converted)[0]
  if (first) {
    const variable = first.instancePath.replace(/^\//, '') || 'environment'
    throw new ConfigError(variable, `invalid value (${first.message})`)
  }
  const raw = converted as RawConfig
  const embedded = raw.DATABASE_URL === undefined
  if (!embedded) {
    // With a real database the keys must come from the operator: generating them would silently
    // make every stored credential unreadable on the next instance.
    if (!raw.VAULT_KEYS) throw new ConfigError('VAULT_KEYS', 'required when DATABASE_URL is set')
    if (!raw.JWT_SECRET) throw new ConfigError('JWT_SECRET', 'required when DATABASE_URL is set')
  }
  // The sweep starts no check on a claim older than half its lease, and a check is two provider
  // calls: a shorter lease would let another instance take an account still being checked.
  if (raw.RECHECK_LEASE_MS < 4 * raw.PROVIDER_TIMEOUT_MS)
    throw new ConfigError(
      'RECHECK_LEASE_MS',
      `must be at least 4 × PROVIDER_TIMEOUT_MS (${4 * raw.PROVIDER_TIMEOUT_MS} ms)`,
    )
  if (raw.SMTP_URL !== undefined && !URL.canParse(raw.SMTP_URL))
    throw new ConfigError('SMTP_URL', 'must be a URL such as smtp://user:pass@mail.example.com:587')
  if (raw.SMTP_URL !== undefined && !new URL(raw.SMTP_URL).hostname)
    throw new ConfigError('SMTP_URL', 'names no host')
  const providerUrls: Record<string, string> = {}
  const oauth: Record<string, string> = {}
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || value === '') continue
    if (key.startsWith('PROVIDER_URL_')) {
      if (!/^https?:\/\/[^\s/]+\/?$/.test(value))
        throw new ConfigError(key, 'must be an origin such as http://127.0.0.1:8080')
      providerUrls[key] = value.replace(/\/$/, '')
    } else if (/^OAUTH_[A-Z]+_CLIENT_(ID|SECRET)$/.test(key)) {
      oauth[key] = value
    }
  }
  return { ...raw, SANDBOX: raw.SANDBOX === '1', embedded, providerUrls, oauth }
}

export const publicUrl = (config: Config): string =>
  (config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`).replace(/\/$/, '')
