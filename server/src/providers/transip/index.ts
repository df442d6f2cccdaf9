import type { ServerInfo } from '@cloudlink/shared'
import { defineProvider } from '../core/define.js'
import { unknownProbe } from '../core/probe.js'
import { expectJson } from '../core/http.js'
import { maskTail } from '../core/hint.js'
import { rejected, unexpected } from '../core/outcome.js'
import type { ProviderContext } from '../core/types.js'
import { checkFields, fieldError } from '../core/validate.js'
import { readPrivateKey } from './sign.js'
import { broker } from './broker.js'
import { checkToken, claimsOf, errorOf, NAME, type Creds } from './token.js'

interface Vps {
  name: string
  description?: string
  status?: string
  ipAddress?: string | null
  availabilityZone?: string | null
}

async function get<T>(ctx: ProviderContext, token: string, path: string): Promise<T> {
  const res = await ctx.http.request('api', path, { headers: { authorization: `Bearer ${token}` } })
  if (res.status === 200) return expectJson<T>(NAME, res)
  if (res.status === 401 || res.status === 403)
    throw rejected(
      `${NAME} refused the access token for ${path} (${errorOf(res) || res.status})`,
      res,
    )
  throw unexpected(NAME, res)
}

/** VPSes per page; TransIP documents no maximum (UNCONFIRMED), 100 keeps each answer small. */
const PAGE_SIZE = 100
/** 10 000 VPSes; past that the listing is cut rather than looping on a provider bug. */
const MAX_PAGES = 100

/**
 * Every VPS, page by page. `GET /v6/vps` answers `{ "vpss": [...] }` (gotransip vps/vps.go,
 * `vpssWrapper` with json:"vpss"), paged by `page` (1-based) and `pageSize` (gotransip
 * `GetSelection`, transip-api-php `VpsRepository::getSelection`). Neither official client reads a
 * pagination header, so a page shorter than asked for is the last one; a page that brings no new
 * VPS ends the listing too, in case the API ever ignores the parameters and repeats itself.
 */
async function listVpss(ctx: ProviderContext, token: string): Promise<Vps[]> {
  const byName = new Map<string, Vps>()
  for (let page = 1; page <= MAX_PAGES; page++) {
    const path = `/v6/vps?pageSize=${PAGE_SIZE}&page=${page}`
    const body = await get<{ vpss?: unknown }>(ctx, token, path)
    if (!Array.isArray(body.vpss)) throw new Error('GET /v6/vps sent no vpss list')
    const before = byName.size
    for (const v of body.vpss as Vps[]) if (typeof v?.name === 'string') byName.set(v.name, v)
    if (body.vpss.length < PAGE_SIZE || byName.size === before) break
  }
  return [...byName.values()]
}

/** The customer number from the token. */
function customerId(token: string): string | undefined {
  const cid = claimsOf(token).cid
  return typeof cid === 'string' || typeof cid === 'number' ? String(cid) : undefined
}

const fields = [
  {
    name: 'login',
    label: 'Login',
    secret: false,
    required: true,
    pattern: '^[A-Za-z0-9][A-Za-z0-9._@-]{1,99}$',
    placeholder: 'your TransIP account name',
    help: 'The name you log in to the TransIP control panel with',
  },
  {
    name: 'privateKey',
    label: 'Private key',
    secret: true,
    required: true,
    multiline: true,
    pattern: '-----BEGIN [A-Z0-9 ]+-----',
    placeholder: '-----BEGIN PRIVATE KEY-----…',
    help: 'Control panel → Account → API → Key pairs → Add key pair; paste the whole key, BEGIN and END lines included',
  },
]

export const transip = defineProvider<Creds>({
  descriptor: {
    id: 'transip',
    name: NAME,
    authType: 'keypair',
    fields,
    consoleUrl: 'https://www.transip.nl/cp/account/api/',
    permissions: [
      'API access turned on for the account',
      'A key pair (RSA); checks request read-only tokens with it, the broker a read-write one only for write calls',
      'Accept the key from any IP address, or whitelist this server’s address',
    ],
    capabilities: ['compute'],
    notes:
      'The private key never leaves Cloudlink: each check signs a request for a 30-second, read-only token; the broker signs one for a 20-minute token and reuses it until it expires.',
  },
  origins: { api: 'https://api.transip.nl' },
  broker,
  validate(credentials) {
    const c = checkFields(fields, credentials)
    const reading = readPrivateKey(c.privateKey as string)
    if ('problem' in reading) throw fieldError('privateKey', `The private key ${reading.problem}`)
    // Stored as PKCS#8, so a PKCS#1 paste of the same key is the same credential.
    return { login: c.login as string, privateKey: reading.pem }
  },
  verify: async (ctx, c) => {
    const token = await checkToken(ctx, c, { fresh: true })
    const ping = await get<{ ping?: string }>(ctx, token, '/v6/api-test')
    if (ping.ping !== 'pong') throw new Error('api-test did not answer pong')
    const cid = customerId(token)
    return {
      outcome: 'verified' as const,
      identity: { ...(cid ? { id: cid } : {}), name: c.login },
      warnings: [],
    }
  },
  listServers: async (ctx, c) => {
    const token = await checkToken(ctx, c)
    const servers: ServerInfo[] = (await listVpss(ctx, token)).map((v) => ({
      providerServerId: v.name,
      name: v.description || v.name,
      status: v.status ?? 'unknown',
      region: v.availabilityZone ?? null,
      ipv4: v.ipAddress ?? null,
    }))
    return { outcome: 'listed' as const, servers }
  },
  /**
   * The JWT's `ro` claim only echoes the `read_only` Cloudlink itself asks for in POST /v6/auth (it
   * always asks for read-only tokens), so it says nothing about the key pair; minting a writable
   * token just to look would leave a write-capable token behind. No safe way: unknown.
   */
  probe: unknownProbe(
    "TransIP cannot tell what a key pair may do without minting a writable token; create the key pair without the read-only option, for this server's IP or as a global key",
  ),
  hint: (c) => maskTail(c.login),
  canonical: (c) => `${c.login}\n${c.privateKey}`,
})

export default transip
