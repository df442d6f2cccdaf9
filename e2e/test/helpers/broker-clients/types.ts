import type { Credentials } from '../../../src/simulators/index.js'

/** Where a provider client talks to, and what it authenticates with. */
export interface ClientTarget {
  /**
   * Where the provider's API paths live: a simulator's origin, or the broker's
   * `http://127.0.0.1:PORT/api/v1/workspaces/W/cloud-accounts/A/proxy`.
   */
  baseUrl: string
  /** A Cloudlink `clk_…` token, sent where the SDK puts its secret (through the broker). */
  token?: string
  /** The provider credential itself, for a client pointed straight at a simulator. */
  credentials?: Credentials
}

/**
 * One provider's SDK, reduced to what the broker tests run. Names, not ids, are what `list` and
 * `servers` answer, so a rename (Robot, Hostinger) reads like a create: after `create(name)` the
 * list has `name`, after `remove(id)` it no longer has it.
 */
export interface ServerClient {
  /** The read: the names of the account's servers (Cloudflare: zones). */
  servers(): Promise<string[]>
  /** The names of what `create` makes: the servers, or the provider's nearest harmless write. */
  list(): Promise<string[]>
  /** Makes `name` (a lower-case hostname-safe label) appear in `list`; answers its id. */
  create(name: string): Promise<string>
  remove(id: string): Promise<void>
  /** Releases what the client holds (OVH's https front); optional to call. */
  close(): Promise<void>
}

/** The secret to send: the Cloudlink token, else the named credential field. */
export function secretOf(target: ClientTarget, field: string): string {
  const secret = target.token ?? target.credentials?.[field]
  if (!secret) throw new Error(`a token or credentials.${field} is required`)
  return secret
}

export const noClose = async () => {}

/**
 * A Cloudlink token in its own header on a fetch Request, for SDKs that hold a key pair or sign
 * (the broker drops what they send for it and applies the stored credential).
 */
export function withToken(request: Readonly<Request>, token: string): Request {
  const headers = new Headers(request.headers)
  headers.set('X-Cloudlink-Token', token)
  return new Request(request, { headers })
}
