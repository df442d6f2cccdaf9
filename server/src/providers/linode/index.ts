import type { ServerInfo } from '@cloudlink/shared'
import { expectJson, type ProviderResponse } from '../core/http.js'
import { maskTail } from '../core/hint.js'
import { rejected, unexpected } from '../core/outcome.js'
import type { ProviderContext } from '../core/types.js'
import { defineProvider } from '../core/define.js'
import { broker } from './broker.js'
import { probeLinode } from './probe.js'

const NAME = 'Linode'
type Creds = { token: string }

interface LinodeProfile {
  uid?: number
  username?: string
  email?: string
}
interface LinodeInstance {
  id: number
  label: string
  status: string
  region?: string
  ipv4?: string[]
}
interface LinodePage {
  data: LinodeInstance[]
  page?: number
  pages?: number
}

const reasonOf = (res: ProviderResponse) =>
  (res.json as { errors?: { reason?: string }[] } | undefined)?.errors?.[0]?.reason ?? ''

/**
 * Linode answers a missing OAuth scope with 401 too; only the reason text (and the scope headers)
 * tell it from a bad token, and the two need different fixes.
 */
function failure(res: ProviderResponse, scope: string) {
  const reason = reasonOf(res)
  if (
    (res.status === 401 || res.status === 403) &&
    /not authorized to use this endpoint/i.test(reason)
  )
    return rejected(
      `The token is missing the ${scope} scope (${reason})`,
      res,
      'insufficient_scope',
    )
  if (res.status === 401)
    return rejected(
      `${NAME} rejected the token (${reason || 'Invalid Token'}); it may be revoked or expired`,
      res,
    )
  if (res.status === 403)
    return rejected(`The token lacks permission (${reason || 'forbidden'}); grant ${scope}`, res)
  return unexpected(NAME, res)
}

async function get<T>(ctx: ProviderContext, token: string, path: string, scope: string) {
  const res = await ctx.http.request('api', path, { headers: { authorization: `Bearer ${token}` } })
  if (res.status === 200) return { body: expectJson<T>(NAME, res), res }
  throw failure(res, scope)
}

export const linode = defineProvider<Creds>({
  descriptor: {
    id: 'linode',
    name: NAME,
    authType: 'token',
    fields: [
      {
        name: 'token',
        label: 'Personal access token',
        secret: true,
        required: true,
        pattern: '^[A-Za-z0-9]{64}$',
        placeholder: '64 hexadecimal characters',
        help: 'Cloud Manager → profile → API Tokens → Create a Personal Access Token',
      },
    ],
    consoleUrl: 'https://cloud.linode.com/profile/tokens',
    permissions: ['Linodes: Read/Write', 'IPs: Read/Write', 'Account: Read Only'],
    capabilities: ['compute', 'storage', 'dns'],
  },
  origins: { api: 'https://api.linode.com' },
  broker,
  verify: async (ctx, c) => {
    // /profile answers for any scope, so it proves the token; the scope header tells what it may do.
    const { body, res } = await get<LinodeProfile>(ctx, c.token, '/v4/profile', 'any')
    const scopes = res.headers.get('x-oauth-scopes') ?? '*'
    if (scopes.trim() !== '*' && !/\blinodes:read_(only|write)\b/.test(scopes))
      throw rejected(
        `The token is missing the linodes:read_write scope (it has: ${scopes})`,
        res,
        'insufficient_scope',
      )
    // A token that may only read Linodes is connected; the probe's access says what it lacks.
    const warnings: string[] = []
    return {
      outcome: 'verified' as const,
      identity: {
        ...(body.uid !== undefined ? { id: String(body.uid) } : {}),
        ...(body.username ? { name: body.username } : {}),
        ...(body.email ? { email: body.email } : {}),
      },
      warnings,
    }
  },
  listServers: async (ctx, c) => {
    const servers: ServerInfo[] = []
    for (let page = 1; page <= 50; page++) {
      const { body } = await get<LinodePage>(
        ctx,
        c.token,
        `/v4/linode/instances?page=${page}&page_size=500`,
        'linodes:read_only',
      )
      for (const l of body.data ?? [])
        servers.push({
          providerServerId: String(l.id),
          name: l.label,
          status: l.status,
          region: l.region ?? null,
          ipv4: l.ipv4?.[0] ?? null,
        })
      if (!body.pages || page >= body.pages) break
    }
    return { outcome: 'listed' as const, servers }
  },
  probe: (ctx, c, capabilities) => probeLinode(ctx, c.token, capabilities),
  hint: (c) => maskTail(c.token),
  canonical: (c) => c.token,
})

export default linode
