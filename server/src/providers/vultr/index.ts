import type { ServerInfo } from '@cloudlink/shared'
import { expectJson } from '../core/http.js'
import { maskTail } from '../core/hint.js'
import { rejected, unexpected } from '../core/outcome.js'
import type { ProviderContext } from '../core/types.js'
import { defineProvider } from '../core/define.js'
import { broker } from './broker.js'
import { access, probeEach } from '../core/probe.js'

const NAME = 'Vultr'
type Creds = { apiKey: string }

interface VultrAccount {
  account: { name?: string; email?: string; acls?: string[] }
}
interface VultrInstance {
  id: string
  label?: string
  hostname?: string
  status: string
  power_status?: string
  region?: string
  main_ip?: string
}
/** Bare metal has no power_status: `status` (active, pending, suspended) is all there is. */
interface VultrBareMetal {
  id: string
  label?: string
  status: string
  region?: string
  main_ip?: string
}
/** Every Vultr list: the items under their key, and an opaque cursor in `meta.links.next`. */
type VultrPage<K extends string, T> = { [key in K]?: T[] } & {
  meta?: { links?: { next?: string } }
}

/** The most Vultr gives per page; a sweep follows the cursor until it is empty. */
const PER_PAGE = 500
const MAX_PAGES = 50

async function listAll<K extends string, T>(
  ctx: ProviderContext,
  apiKey: string,
  path: string,
  key: K,
): Promise<T[]> {
  const items: T[] = []
  let cursor = ''
  for (let i = 0; i < MAX_PAGES; i++) {
    const q = `${path}?per_page=${PER_PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
    const body = await get<VultrPage<K, T>>(ctx, apiKey, q)
    items.push(...((body[key] as T[] | undefined) ?? []))
    cursor = body.meta?.links?.next ?? ''
    if (!cursor) break
  }
  return items
}

const ip = (mainIp: string | undefined) => (mainIp && mainIp !== '0.0.0.0' ? mainIp : null)

async function get<T>(ctx: ProviderContext, apiKey: string, path: string): Promise<T> {
  const res = await ctx.http.request('api', path, {
    headers: { authorization: `Bearer ${apiKey}` },
  })
  if (res.status === 200) return expectJson<T>(NAME, res)
  const message = (res.json as { error?: string } | undefined)?.error
  if (res.status === 401)
    throw rejected(
      `${NAME} rejected the API key (${message ?? 'invalid'}); it may have been regenerated`,
      res,
    )
  if (res.status === 403)
    throw rejected(
      `${NAME} refused access (${message ?? 'forbidden'}): the key's access control may not allow this server's IP address, or the sub-account lacks permission`,
      res,
    )
  throw unexpected(NAME, res)
}

export const vultr = defineProvider<Creds>({
  descriptor: {
    id: 'vultr',
    name: NAME,
    authType: 'token',
    fields: [
      {
        name: 'apiKey',
        label: 'API key',
        secret: true,
        required: true,
        pattern: '^[A-Z0-9]{36}$',
        placeholder: '36 capital letters and digits',
        help: 'Account → API → Enable API; add this server’s IP address under Access Control',
      },
    ],
    consoleUrl: 'https://my.vultr.com/settings/#settingsapi',
    permissions: [
      'API enabled for the (sub-)user, with Manage Servers',
      'Access Control allowing this server’s IP address',
    ],
    capabilities: ['compute', 'storage', 'dns'],
  },
  origins: { api: 'https://api.vultr.com' },
  broker,
  // 30 requests per second per client address.
  limits: { budget: { requests: 30, perMs: 1000 } },
  verify: async (ctx, c) => {
    const { account } = await get<VultrAccount>(ctx, c.apiKey, '/v2/account')
    return {
      outcome: 'verified' as const,
      identity: {
        ...(account.name ? { name: account.name } : {}),
        ...(account.email ? { email: account.email, id: account.email } : {}),
      },
      warnings: [],
    }
  },
  /** Cloud instances (VPS) and bare metal: two product lines, two endpoints, one key. */
  listServers: async (ctx, c) => {
    const [instances, metals] = await Promise.all([
      listAll<'instances', VultrInstance>(ctx, c.apiKey, '/v2/instances', 'instances'),
      listAll<'bare_metals', VultrBareMetal>(ctx, c.apiKey, '/v2/bare-metals', 'bare_metals'),
    ])
    const servers: ServerInfo[] = [
      ...instances.map((s) => ({
        providerServerId: s.id,
        name: s.label || s.hostname || s.id,
        status: s.status === 'active' ? (s.power_status ?? 'running') : s.status,
        region: s.region ?? null,
        ipv4: ip(s.main_ip),
        kind: 'instance',
      })),
      ...metals.map((s) => ({
        providerServerId: s.id,
        name: s.label || s.id,
        status: s.status,
        region: s.region ?? null,
        ipv4: ip(s.main_ip),
        kind: 'bare-metal',
      })),
    ]
    return { outcome: 'listed' as const, servers }
  },
  /**
   * The key's user and its ACLs (GET /v2/account, `account.acls`; vultr/govultr account.go, Vultr
   * API "Users" ACL names). Decided here: `manage_users` may grant itself every ACL, so it counts
   * as all of them; servers need `subscriptions` + `provisioning` to create, `subscriptions_view`
   * (or `subscriptions`) to list; DNS needs `dns`, Object Storage `objstore`. Vultr has no
   * read-only ACL for DNS or Object Storage: without the ACL there is neither.
   */
  probe: async (ctx, c, capabilities) => {
    const acls = new Set((await get<VultrAccount>(ctx, c.apiKey, '/v2/account')).account.acls)
    const has = (acl: string) => acls.has('manage_users') || acls.has(acl)
    const evidence = `GET /v2/account → acls [${[...acls].join(', ')}]`
    const lacking = (...names: string[]) => names.filter((n) => !has(n))
    return probeEach(capabilities, {
      compute: async () => {
        const missing = lacking('subscriptions', 'provisioning')
        if (missing.length === 0) return access('write', evidence)
        const reads = has('subscriptions') || has('subscriptions_view')
        return access(reads ? 'read' : 'none', evidence, missing)
      },
      dns: async () => access(has('dns') ? 'write' : 'none', evidence, lacking('dns')),
      storage: async () =>
        access(has('objstore') ? 'write' : 'none', evidence, lacking('objstore')),
    })
  },
  hint: (c) => maskTail(c.apiKey),
  canonical: (c) => c.apiKey,
})

export default vultr
