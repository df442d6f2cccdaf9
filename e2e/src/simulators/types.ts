import type { ProviderId } from '@cloudlink/shared'

/** A failure the next requests suffer, as a flaky or overloaded provider would produce it. */
export type Fault =
  | { kind: 'latency'; ms: number }
  | { kind: 'hang' }
  | { kind: 'status'; status: 500 | 502 | 503 }
  | { kind: 'rate-limit'; retryAfter: number }
  | { kind: 'reset' }
  | { kind: 'malformed' }

/**
 * A server as the simulator stores it. `status` and `region` use the provider's own vocabulary
 * (e.g. Hetzner `running`/`off` and `fsn1`, DigitalOcean `active`/`off` and `fra1`) so that tests
 * exercise the app's mapping, not ours.
 */
export interface SimServer {
  providerServerId: string
  name: string
  status: string
  region: string
  ipv4: string | null
  /** The product line where a provider has several (OVHcloud: `dedicated` (default), `vps`, `instance`). */
  kind?: string
  /** OVHcloud Public Cloud: the project an instance belongs to (default: one per account). */
  project?: string
}

export interface RequestLogEntry {
  at: string
  method: string
  /** The request target as sent: path plus query string. */
  path: string
  headers: Record<string, string>
  body: string
  /** The secret the request authenticated with, accepted or not; null when none was sent. */
  credential: string | null
  /**
   * Milliseconds from the request's arrival to its answer being handed to the socket: the time the
   * simulated provider itself took, injected latency included. Set once the answer is sent.
   */
  durationMs?: number
}

export type Credentials = Record<string, string>

export interface Identity {
  id?: string
  name?: string
  email?: string
}

/** What a credential may do per capability, as the provider would scope it; absent = write. */
export type SimLevel = 'write' | 'read' | 'none'
export interface SimAccess {
  compute?: SimLevel
  dns?: SimLevel
  storage?: SimLevel
}

export interface CredentialOptions {
  /** Servers the account owns; default: 2 generated ones. */
  servers?: SimServer[]
  /** `insufficient`: valid, but lacks the permission to list servers (provider-specific answer). */
  scopes?: 'full' | 'insufficient'
  identity?: Identity
  /** Every request with this credential is answered after this delay (the demo `slow` one). */
  latencyMs?: number
  /** Hetzner Robot only: the web-service user may not use the ordering endpoints. */
  orderingDisabled?: boolean
  /**
   * A read-only or partially scoped credential, answered in the provider's own introspection
   * (ACLs, scopes, rules, policies, dry runs, simulations); see providers/access/.
   */
  access?: SimAccess
}

export interface Simulator {
  readonly id: ProviderId
  /** Origin, e.g. http://127.0.0.1:41234; the provider's real paths are served under it. */
  readonly url: string
  issueCredential(opts?: CredentialOptions): Credentials
  registerCredential(credentials: Credentials, opts?: CredentialOptions): void
  revoke(credentials: Credentials): void
  restore(credentials: Credentials): void
  setServers(credentials: Credentials, servers: SimServer[]): void
  /** Applies to the next `times` requests (default: all until cleared); never to `/__sim/`. */
  fault(f: Fault | null, opts?: { times?: number }): void
  readonly requests: RequestLogEntry[]
  clearRequests(): void
  /** Moves simulator time forward (login blocks and rate-limit windows expire by it). */
  advanceClock(seconds: number): void
  /** Lifts login blocks and empties rate-limit windows. */
  clearLimits(): void
  close(): Promise<void>
}

export interface DemoCredentials {
  /** Valid, owns 2 servers. */
  good: Credentials
  /** Answered as an invalid credential. */
  revoked: Credentials
  /** Valid, but every request with it is answered after 3 s. */
  slow: Credentials
  /** Valid, may read but not create (providers whose credentials can say so; providers/access/). */
  readOnly?: Credentials
}
