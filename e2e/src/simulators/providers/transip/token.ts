import { createHmac, createSecretKey, randomBytes } from 'node:crypto'
import type { Account, SimRequest } from '../../spec.js'

/** The JWTs `POST /v6/auth` hands out, and the signed body that asks for one. */

export interface Token {
  login: string
  exp: number
  readOnly: boolean
  globalKey: boolean
}
/** Tokens are HMAC-signed by this process; the map holds what a token was issued for. */
// A KeyObject: Node 24's createHmac re-probes a Buffer key's type on every call (slow).
const SIGNING_KEY = createSecretKey(randomBytes(32))
const tokens = new Map<string, Token>()
const UNITS: Record<string, number> = {
  second: 1,
  minute: 60,
  hour: 3600,
  day: 86_400,
  week: 604_800,
}

/**
 * `expiration_time` is human-readable ("30 seconds", "1 day"); TransIP caps it at a month. Empty
 * (as gotransip's own test sends it) gets a default lifetime whose real length is UNCONFIRMED.
 */
export function lifetimeSeconds(text: unknown): number | null {
  if (text === '' || text === undefined) return 30 * 60
  const m = /^(\d+) (second|minute|hour|day|week)s?$/.exec(typeof text === 'string' ? text : '')
  if (!m) return null
  const seconds = Number(m[1]) * (UNITS[m[2] as string] as number)
  return seconds > 0 && seconds <= 31 * 86_400 ? seconds : null
}

export interface AuthBody {
  login?: unknown
  nonce?: unknown
  read_only?: unknown
  expiration_time?: unknown
  label?: unknown
  global_key?: unknown
}

export const parseBody = (req: SimRequest): AuthBody | null => {
  try {
    const body = JSON.parse(req.body) as unknown
    return body && typeof body === 'object' ? (body as AuthBody) : null
  } catch {
    return null
  }
}

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')

export function mintToken(account: Account, body: AuthBody, now: number): string {
  const iat = Math.floor(now / 1000)
  const jti = randomBytes(16).toString('hex')
  const payload = {
    iss: 'api.transip.nl',
    aud: 'api.transip.nl',
    jti,
    iat,
    nbf: iat,
    exp: iat + (lifetimeSeconds(body.expiration_time) ?? 0),
    cid: account.identity.id,
    ro: body.read_only === true,
    gk: body.global_key === true,
    kv: true,
  }
  const unsigned = `${b64url({ typ: 'JWT', alg: 'HS512' })}.${b64url(payload)}`
  const sig = createHmac('sha512', SIGNING_KEY).update(unsigned).digest('base64url')
  tokens.set(jti, {
    login: String(body.login),
    exp: payload.exp * 1000,
    readOnly: payload.ro,
    globalKey: payload.gk,
  })
  return `${unsigned}.${sig}`
}

/** The login the token was issued to, or null when the simulator did not sign it. */
export function tokenEntry(token: string): [string, Token] | null {
  const [head, payload, sig] = token.split('.')
  if (!head || !payload || !sig) return null
  const expected = createHmac('sha512', SIGNING_KEY)
    .update(`${head}.${payload}`)
    .digest('base64url')
  if (expected !== sig) return null
  try {
    const jti = (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { jti?: string }).jti
    const entry = jti ? tokens.get(jti) : undefined
    return jti && entry ? [jti, entry] : null
  } catch {
    return null
  }
}

export const forgetToken = (jti: string) => tokens.delete(jti)
