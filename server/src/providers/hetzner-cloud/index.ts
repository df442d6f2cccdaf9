import type { ServerInfo } from '@cloudlink/shared'
import { expectJson } from '../core/http.js'
import { maskTail } from '../core/hint.js'
import { rejected, unexpected } from '../core/outcome.js'
import type { ProviderContext } from '../core/types.js'
import { defineProvider } from '../core/define.js'
import { broker } from './broker.js'
import { unknownProbe } from '../core/probe.js'

const NAME = 'Hetzner Cloud'
type Creds = { token: string }

interface HcloudError {
  error?: { code?: string; message?: string }
}
interface HcloudServer {
  id: number
  name: string
  status: string
  public_net?: { ipv4?: { ip?: string } | null }
  datacenter?: { location?: { name?: string } }
}
interface HcloudServers {
  servers: HcloudServer[]
  meta?: { pagination?: { next_page?: number | null } }
}

async function get(ctx: ProviderContext, token: string, path: string): Promise<HcloudServers> {
  const res = await ctx.http.request('api', path, { headers: { authorization: `Bearer ${token}` } })
  if (res.status === 200) return expectJson<HcloudServers>(NAME, res)
  const err = (res.json as HcloudError | undefined)?.error
  if (res.status === 401)
    throw rejected(
      `${NAME} rejected the token (${err?.message ?? 'unauthorized'}); it may be revoked or mistyped`,
      res,
      err?.code,
    )
  if (res.status === 403)
    throw rejected(
      `The token lacks permission to read servers (${err?.code ?? 'forbidden'}); create a token with Read & Write permission`,
      res,
      err?.code,
    )
  throw unexpected(NAME, res)
}

export const hetznerCloud = defineProvider<Creds>({
  descriptor: {
    id: 'hetzner-cloud',
    name: NAME,
    authType: 'token',
    fields: [
      {
        name: 'token',
        label: 'API token',
        secret: true,
        required: true,
        pattern: '^[A-Za-z0-9]{64}$',
        placeholder: '64 letters and digits',
        help: 'Console → your project → Security → API tokens → Generate API token',
      },
    ],
    consoleUrl: 'https://console.hetzner.cloud/projects',
    permissions: [
      'Read & Write (ordering servers needs write; a Read token can only be monitored)',
    ],
    capabilities: ['compute', 'storage'],
    notes:
      'A token belongs to one project; Hetzner Cloud has no endpoint that names the project, so connect one account per project and label it.',
  },
  origins: { api: 'https://api.hetzner.cloud' },
  broker,
  verify: async (ctx, c) => {
    await get(ctx, c.token, '/v1/servers?per_page=1')
    return { outcome: 'verified' as const, identity: null, warnings: [] }
  },
  listServers: async (ctx, c) => {
    const servers: ServerInfo[] = []
    for (let page = 1; page && page <= 50;) {
      const body = await get(ctx, c.token, `/v1/servers?per_page=50&page=${page}`)
      for (const s of body.servers ?? [])
        servers.push({
          providerServerId: String(s.id),
          name: s.name,
          status: s.status,
          region: s.datacenter?.location?.name ?? null,
          ipv4: s.public_net?.ipv4?.ip ?? null,
        })
      page = body.meta?.pagination?.next_page ?? 0
    }
    return { outcome: 'listed' as const, servers }
  },
  /**
   * Hetzner Cloud tokens are "Read" (GET only) or "Read & Write" (docs.hetzner.com generating-api-
   * token), and no endpoint tells them apart without trying a write (which a read token answers
   * 403 `forbidden`). Trying is a side effect, so: unknown, with what to choose.
   */
  probe: unknownProbe(
    "Hetzner Cloud cannot tell a token's permission without trying a write; create the token with Read & Write in the project's Security → API tokens",
  ),
  hint: (c) => maskTail(c.token),
  canonical: (c) => c.token,
})

export default hetznerCloud
