import type { ServerInfo } from '@cloudlink/shared'
import { expectJson, type ProviderResponse } from '../core/http.js'
import { maskTail } from '../core/hint.js'
import { rejected, unexpected } from '../core/outcome.js'
import type { ProviderContext } from '../core/types.js'
import { defineProvider } from '../core/define.js'
import { unknownProbe } from '../core/probe.js'
import { withOAuth } from '../core/oauth/with-oauth.js'
import { broker } from './broker.js'

const NAME = 'DigitalOcean'
type Creds = { token: string }

interface DoError {
  id?: string
  message?: string
}
interface DoAccount {
  account: {
    uuid?: string
    email?: string
    name?: string
    status?: string
    status_message?: string
    team?: { name?: string }
  }
}
interface DoDroplet {
  id: number
  name: string
  status: string
  region?: { slug?: string }
  networks?: { v4?: { ip_address?: string; type?: string }[] }
}
interface DoDroplets {
  droplets: DoDroplet[]
  links?: { pages?: { next?: string } }
}

async function get<T>(
  ctx: ProviderContext,
  token: string,
  path: string,
  scope: string,
): Promise<T> {
  const res: ProviderResponse = await ctx.http.request('api', path, {
    headers: { authorization: `Bearer ${token}` },
  })
  if (res.status === 200) return expectJson<T>(NAME, res)
  const err = res.json as DoError | undefined
  if (res.status === 401)
    throw rejected(
      `${NAME} rejected the token (${err?.message ?? 'unauthorized'}); it may be revoked, expired or mistyped`,
      res,
      err?.id,
    )
  if (res.status === 403)
    throw rejected(
      `The token is missing the ${scope} scope (${err?.message ?? 'forbidden'})`,
      res,
      err?.id,
    )
  throw unexpected(NAME, res)
}

const personalToken = defineProvider<Creds>({
  descriptor: {
    id: 'digitalocean',
    name: NAME,
    authType: 'token',
    fields: [
      {
        name: 'token',
        label: 'Personal access token',
        secret: true,
        required: true,
        pattern: '^do[op]_v1_[a-f0-9]{64}$',
        placeholder: 'dop_v1_…',
        help: 'API → Tokens → Generate New Token; choose Full Access or the custom scopes listed here',
      },
    ],
    consoleUrl: 'https://cloud.digitalocean.com/account/api/tokens',
    permissions: [
      'account:read',
      'droplet:read',
      'droplet:create',
      'droplet:update',
      'droplet:delete',
      'ssh_key:read',
    ],
    capabilities: ['compute', 'storage', 'dns'],
  },
  origins: { api: 'https://api.digitalocean.com' },
  broker,
  verify: async (ctx, c) => {
    const { account } = await get<DoAccount>(ctx, c.token, '/v2/account', 'account:read')
    const warnings: string[] = []
    if (account.status && account.status !== 'active')
      warnings.push(
        `DigitalOcean reports the account as ${account.status}${account.status_message?.trim() ? `: ${account.status_message.trim()}` : ''}`,
      )
    return {
      outcome: 'verified' as const,
      identity: {
        ...(account.uuid ? { id: account.uuid } : {}),
        ...((account.team?.name ?? account.name)
          ? { name: account.team?.name ?? account.name }
          : {}),
        ...(account.email ? { email: account.email } : {}),
      },
      warnings,
    }
  },
  listServers: async (ctx, c) => {
    const servers: ServerInfo[] = []
    for (let page = 1; page <= 50; page++) {
      const body = await get<DoDroplets>(
        ctx,
        c.token,
        `/v2/droplets?per_page=200&page=${page}`,
        'droplet:read',
      )
      for (const d of body.droplets ?? [])
        servers.push({
          providerServerId: String(d.id),
          name: d.name,
          status: d.status,
          region: d.region?.slug ?? null,
          ipv4: d.networks?.v4?.find((n) => n.type === 'public')?.ip_address ?? null,
        })
      if (!body.links?.pages?.next) break
    }
    return { outcome: 'listed' as const, servers }
  },
  /**
   * Custom-scoped tokens exist (droplet:create, domain:create, …; docs.digitalocean.com/reference/
   * api/scopes), but no endpoint lists a token's scopes (digitalocean/api-v2 #133), and a refused
   * write (403 "you do not have access for the attempted action") is the only tell: unknown.
   */
  probe: unknownProbe(
    "DigitalOcean cannot list a token's scopes; choose Full Access, or the custom scopes droplet:create, droplet:read, droplet:delete, domain:create, domain:read, domain:update, spaces_key:create for DNS and Spaces",
  ),
  hint: (c) => maskTail(c.token, c.token.slice(0, 7)),
  canonical: (c) => c.token,
})

/**
 * One-click connect beside the personal access token, through DigitalOcean's OAuth server
 * (https://docs.digitalocean.com/reference/api/). Access tokens (`doo_v1_`) are used exactly
 * like a personal access token; refresh tokens (`dor_v1_`) rotate: every refresh spends the old one.
 */
export const digitalocean = withOAuth(personalToken, {
  spec: {
    envId: 'DIGITALOCEAN',
    authorize: { origin: 'cloud', path: '/v1/oauth/authorize' },
    token: { origin: 'cloud', path: '/v1/oauth/token' },
    scopes: ['read', 'write'],
    rotatesRefreshToken: true,
    register: {
      url: 'https://cloud.digitalocean.com/account/api/applications',
      steps: 'API → OAuth Applications → Register OAuth Application',
    },
  },
  fromAccessToken: (token) => ({ token }),
  origins: { cloud: 'https://cloud.digitalocean.com' },
})

export default digitalocean
