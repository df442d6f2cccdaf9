import type { ServerInfo } from '@cloudlink/shared'
import { expectJson, UnreachableError } from '../core/http.js'
import { maskTail } from '../core/hint.js'
import { rejected, unexpected } from '../core/outcome.js'
import type { ProviderContext } from '../core/types.js'
import { defineProvider } from '../core/define.js'
import { broker } from './broker.js'
import { unknownProbe } from '../core/probe.js'

const NAME = 'Hostinger'
type Creds = { token: string }

interface HostingerVm {
  id: number
  hostname?: string
  state?: string
  data_center_id?: number | null
  ipv4?: { address?: string }[] | null
}
interface HostingerDataCenter {
  id: number
  name?: string
  location?: string
  city?: string
}

async function get<T>(ctx: ProviderContext, token: string, path: string): Promise<T> {
  const res = await ctx.http.request('api', path, { headers: { authorization: `Bearer ${token}` } })
  if (res.status === 200) return expectJson<T>(NAME, res)
  // The schema says `message`, the prose says `error`: read both.
  const body = res.json as { message?: string; error?: string } | undefined
  const detail = body?.message ?? body?.error
  if (res.status === 401)
    throw rejected(
      `${NAME} rejected the API token (${detail ?? 'Unauthenticated'}); it may have expired or been deleted`,
      res,
    )
  // Undocumented: tokens carry their owner's permissions, so a 403 is the owner's lack of access.
  if (res.status === 403)
    throw rejected(
      `${NAME} refused access to VPS (${detail ?? 'forbidden'}); the token's owner needs access to the VPS`,
      res,
    )
  throw unexpected(NAME, res)
}

/** Data-center names for the listing; a failed look-up leaves the numeric id, not a failed list. */
async function dataCenters(ctx: ProviderContext, token: string): Promise<Map<number, string>> {
  try {
    const list = await get<HostingerDataCenter[]>(ctx, token, '/api/vps/v1/data-centers')
    return new Map(
      (Array.isArray(list) ? list : []).map((dc) => [dc.id, dc.name ?? dc.city ?? String(dc.id)]),
    )
  } catch (err: unknown) {
    if (err instanceof UnreachableError) return new Map()
    throw err
  }
}

async function virtualMachines(ctx: ProviderContext, token: string): Promise<HostingerVm[]> {
  const vms = await get<HostingerVm[]>(ctx, token, '/api/vps/v1/virtual-machines')
  if (!Array.isArray(vms)) throw new Error('virtual-machines is not a list')
  return vms
}

export const hostinger = defineProvider<Creds>({
  descriptor: {
    id: 'hostinger',
    name: NAME,
    authType: 'token',
    fields: [
      {
        name: 'token',
        label: 'API token',
        secret: true,
        required: true,
        // The token format is undocumented; this only catches pasting the wrong thing.
        pattern: '^[A-Za-z0-9._|-]{20,512}$',
        placeholder: 'a long string of letters and digits',
        help: 'hPanel → Account → API → Generate token; set an expiry you will remember to renew',
      },
    ],
    consoleUrl: 'https://hpanel.hostinger.com/profile/api',
    permissions: ["None to choose: a token has its owner's permissions"],
    capabilities: ['compute'],
    notes:
      'Hostinger has no endpoint that names the account, so connect one account per hPanel login and label it.',
  },
  origins: { api: 'https://developers.hostinger.com' },
  broker,
  verify: async (ctx, c) => {
    // No whoami exists: listing the VPS is the cheapest authenticated call.
    await virtualMachines(ctx, c.token)
    return { outcome: 'verified' as const, identity: null, warnings: [] }
  },
  listServers: async (ctx, c) => {
    const vms = await virtualMachines(ctx, c.token)
    const names = vms.length ? await dataCenters(ctx, c.token) : new Map<number, string>()
    const servers: ServerInfo[] = vms.map((vm) => ({
      providerServerId: String(vm.id),
      name: vm.hostname || String(vm.id),
      status: vm.state ?? 'unknown',
      region:
        vm.data_center_id == null
          ? null
          : (names.get(vm.data_center_id) ?? String(vm.data_center_id)),
      ipv4: vm.ipv4?.find((ip) => ip.address)?.address ?? null,
    }))
    return { outcome: 'listed' as const, servers }
  },
  /**
   * Hostinger tokens carry no scopes (their owner's permissions) and no endpoint says whether the
   * owner may order; nothing safe tells: unknown.
   */
  probe: unknownProbe(
    "Hostinger cannot tell what a token may do; a token acts with its owner's permissions, so create it as the account owner",
  ),
  hint: (c) => maskTail(c.token),
  canonical: (c) => c.token,
})

export default hostinger
