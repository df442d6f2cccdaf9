import { chars, randomRng, seededRng, type Rng } from './generate.js'
import { BadInput, UnknownCredential } from './http.js'
import type { Account, ProviderSpec } from './spec.js'
import type { CredentialOptions, Credentials, SimServer } from './types.js'

export type CredentialStore = ReturnType<typeof createCredentialStore>

/** The accounts a simulator knows, keyed by credential; the one state both APIs share. */
export function createCredentialStore(spec: ProviderSpec) {
  const accounts = new Map<string, Account>()

  const keyOf = (credentials: Credentials): string =>
    spec.credentialKey?.(credentials) ?? spec.fields.map((field) => credentials[field]).join(':')

  function checkShape(credentials: Credentials): Credentials {
    if (spec.pickCredential) return spec.pickCredential(credentials)
    const picked: Credentials = {}
    for (const field of spec.fields) {
      const value = credentials[field]
      if (typeof value !== 'string' || !value)
        throw new BadInput(`credentials.${field} is required`)
      picked[field] = value
    }
    return picked
  }

  function get(credentials: Credentials): Account {
    const account = accounts.get(keyOf(checkShape(credentials)))
    if (!account) throw new UnknownCredential()
    return account
  }

  /** Demo accounts use a seed so their servers and identity are the same on every start. */
  function register(credentials: Credentials, opts: CredentialOptions = {}, rng?: Rng): Account {
    const picked = checkShape(credentials)
    const source = rng ?? randomRng()
    const number = chars(source, '0123456789', 6)
    const account: Account = {
      credentials: picked,
      servers: opts.servers
        ? copyServers(opts.servers)
        : [0, 1].map((i) => spec.newServer(source, i)),
      scopes: opts.scopes ?? 'full',
      identity: {
        id: opts.identity?.id ?? spec.newIdentityId(source),
        name: opts.identity?.name ?? `Sim User ${number}`,
        email: opts.identity?.email ?? `sim-${number}@example.com`,
      },
      revoked: false,
      latencyMs: opts.latencyMs ?? 0,
      orderingDisabled: opts.orderingDisabled ?? false,
      access: { ...opts.access },
    }
    accounts.set(keyOf(picked), account)
    return account
  }

  function issue(opts: CredentialOptions = {}): Credentials {
    const rng = randomRng()
    let credentials = spec.generateCredential(rng)
    while (accounts.has(keyOf(credentials))) credentials = spec.generateCredential(rng)
    register(credentials, opts, rng)
    return { ...credentials }
  }

  return {
    issue,
    register,
    registerSeeded: (credentials: Credentials, opts: CredentialOptions = {}) =>
      register(credentials, opts, seededRng(keyOf(credentials))),
    get,
    find: (key: string): Account | undefined => accounts.get(key),
    keyOf,
    setServers(credentials: Credentials, servers: SimServer[]) {
      get(credentials).servers = copyServers(servers)
    },
  }
}

function copyServers(servers: SimServer[]): SimServer[] {
  if (!Array.isArray(servers)) throw new BadInput('servers must be an array')
  return servers.map((s) => {
    if (!s || typeof s.providerServerId !== 'string' || typeof s.name !== 'string') {
      throw new BadInput('each server needs providerServerId and name strings')
    }
    return {
      providerServerId: s.providerServerId,
      name: s.name,
      status: String(s.status),
      region: String(s.region),
      ipv4: s.ipv4 ?? null,
      ...(typeof s.kind === 'string' ? { kind: s.kind } : {}),
      ...(typeof s.project === 'string' ? { project: s.project } : {}),
    }
  })
}
