import type { Credentials, ServerInfo } from '@cloudlink/shared'
import { expectJson, type ProviderResponse } from '../core/http.js'
import { maskIdentifier, maskTail } from '../core/hint.js'
import { rejected, unexpected } from '../core/outcome.js'
import type { ProviderContext } from '../core/types.js'
import { checkFields, fieldError } from '../core/validate.js'
import { defineProvider } from '../core/define.js'
import { authorization, broker, type Creds } from './broker.js'
import { unknownProbe } from '../core/probe.js'

const NAME = 'UpCloud'

interface UpcloudAccount {
  account: { username?: string; credits?: number }
}
interface UpcloudServer {
  uuid: string
  title?: string
  hostname?: string
  state?: string
  zone?: string
}
interface UpcloudAddress {
  address?: string
  access?: string
  family?: string
  server?: string
}
/** Both error shapes UpCloud sends: the legacy envelope and an RFC 7807 problem. */
interface UpcloudError {
  error?: { error_code?: string; error_message?: string }
  type?: string
  title?: string
}

/** The error code either way: `error.error_code`, or the problem type's fragment minus `ERROR_`. */
function upcloudError(res: ProviderResponse): { code?: string; message?: string } {
  const body = res.json as UpcloudError | undefined
  if (body?.error?.error_code)
    return { code: body.error.error_code, message: body.error.error_message }
  const fragment = typeof body?.type === 'string' ? body.type.split('#')[1] : undefined
  if (fragment) return { code: fragment.replace(/^ERROR_/, ''), message: body?.title }
  return {}
}

async function get<T>(ctx: ProviderContext, c: Creds, path: string, what: string): Promise<T> {
  const res = await ctx.http.request('api', path, { headers: { authorization: authorization(c) } })
  if (res.status === 200) return expectJson<T>(NAME, res)
  const { code, message } = upcloudError(res)
  const detail = message ?? code ?? `HTTP ${res.status}`
  if (res.status === 401)
    throw rejected(
      'token' in c
        ? `${NAME} rejected the API token (${detail}); it may be expired, deleted or limited to other IP addresses`
        : `${NAME} rejected the username or password (${detail}); a sub-account also needs API connections allowed`,
      res,
      code,
    )
  if (res.status === 403)
    throw rejected(
      `The ${'token' in c ? 'token' : 'sub-account'} lacks permission to ${what} (${detail}); give it access to all servers`,
      res,
      code,
    )
  throw unexpected(NAME, res)
}

/** The Go client's largest page (upcloud-go-api request/page.go, PageSizeMax). */
const PAGE_SIZE = 100
/** 10 000 servers; past that the listing is cut rather than looping on a provider bug. */
const MAX_PAGES = 100

/**
 * Every server, page by page: `limit` and `offset` as upcloud-go-api's request.Page encodes them
 * (request/page.go). A page shorter than the limit is the last; one that brings no new server ends
 * the listing too, in case the API ever ignores the parameters and repeats itself.
 */
async function listAllServers(ctx: ProviderContext, c: Creds): Promise<UpcloudServer[]> {
  const byUuid = new Map<string, UpcloudServer>()
  for (let page = 0; page < MAX_PAGES; page++) {
    const body = await get<{ servers?: { server?: UpcloudServer[] } }>(
      ctx,
      c,
      `/1.3/server?limit=${PAGE_SIZE}&offset=${page * PAGE_SIZE}`,
      'list servers',
    )
    const servers = body.servers?.server ?? []
    const before = byUuid.size
    for (const s of servers) if (typeof s?.uuid === 'string') byUuid.set(s.uuid, s)
    if (servers.length < PAGE_SIZE || byUuid.size === before) break
  }
  return [...byUuid.values()]
}

export const upcloud = defineProvider<Creds>({
  descriptor: {
    id: 'upcloud',
    name: NAME,
    authType: 'token',
    fields: [
      {
        name: 'token',
        label: 'API token',
        secret: true,
        required: false,
        // The part after `ucat_` looks like a ULID; its exact format is UNCONFIRMED, so be lenient.
        pattern: '^ucat_[0-9A-Za-z]{10,64}$',
        placeholder: 'ucat_…',
        help: 'Control Panel → Account → API tokens; leave username and password empty when you use a token',
      },
      {
        name: 'username',
        label: 'Username (instead of a token)',
        secret: false,
        required: false,
        // Basic auth cannot carry a ':' in the username.
        pattern: '^[^\\s:]+$',
        help: 'Only without a token: an API sub-account with "API connections" allowed',
      },
      {
        name: 'password',
        label: 'Password (instead of a token)',
        secret: true,
        required: false,
      },
    ],
    consoleUrl: 'https://hub.upcloud.com/account/api-tokens',
    permissions: [
      'An API token (or a sub-account with API connections allowed)',
      'Access to all servers and storages, to list and order servers',
    ],
    capabilities: ['compute'],
    notes:
      'UpCloud recommends API tokens; username and password (Basic auth) still work but are deprecated.',
  },
  origins: { api: 'https://api.upcloud.com' },
  broker,
  validate(credentials: Credentials): Creds {
    const v = checkFields(upcloud.descriptor.fields, credentials)
    if (v.token) {
      // Both forms at once would leave it unclear which one the account is checked with.
      if (v.username || v.password)
        throw fieldError(
          v.username ? 'username' : 'password',
          'leave empty when you use an API token',
        )
      return { token: v.token }
    }
    if (!v.username && !v.password)
      throw fieldError('token', 'API token is required (or a username and password)')
    if (!v.username) throw fieldError('username', 'Username is required with a password')
    if (!v.password) throw fieldError('password', 'Password is required with a username')
    return { username: v.username, password: v.password }
  },
  verify: async (ctx, c) => {
    const { account } = await get<UpcloudAccount>(ctx, c, '/1.3/account', 'read the account')
    return {
      outcome: 'verified' as const,
      identity: account.username ? { id: account.username, name: account.username } : null,
      warnings: [],
    }
  },
  listServers: async (ctx, c) => {
    const list = await listAllServers(ctx, c)
    // The server list carries no addresses; one more call maps them, instead of one per server.
    const ips = await get<{ ip_addresses?: { ip_address?: UpcloudAddress[] } }>(
      ctx,
      c,
      '/1.3/ip_address',
      'list IP addresses',
    )
    const publicV4 = new Map<string, string>()
    for (const ip of ips.ip_addresses?.ip_address ?? [])
      if (ip.server && ip.address && ip.family === 'IPv4' && ip.access === 'public')
        if (!publicV4.has(ip.server)) publicV4.set(ip.server, ip.address)
    const servers: ServerInfo[] = list.map((s) => ({
      providerServerId: s.uuid,
      name: s.title || s.hostname || s.uuid,
      status: s.state ?? 'unknown',
      region: s.zone ?? null,
      ipv4: publicV4.get(s.uuid) ?? null,
    }))
    return { outcome: 'listed' as const, servers }
  },
  /**
   * GET /1.3/account names the account and its resource limits, not what this token or sub-account
   * may do; the sub-account permissions endpoint stays UNCONFIRMED, so nothing safe tells: unknown.
   */
  probe: unknownProbe(
    'UpCloud cannot tell what a token may do; give the token (or sub-account) access to all servers and permission to create them in the Hub',
  ),
  hint: (c) => ('token' in c ? maskTail(c.token, 'ucat_') : maskIdentifier(c.username)),
  canonical: (c) => ('token' in c ? c.token : `${c.username}:${c.password}`),
})

export default upcloud
