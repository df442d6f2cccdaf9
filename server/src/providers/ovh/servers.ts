import type { ServerInfo, ServerListResult } from '@cloudlink/shared'
import type { ProviderContext } from '../core/types.js'
import { createOvhClient, ovhFailure, type OvhCreds, type SubsidiaryCode } from './client.js'

interface DedicatedServer {
  name: string
  ip?: string | null
  datacenter?: string | null
  state?: string | null
  powerState?: string | null
  reverse?: string | null
  iam?: { displayName?: string | null } | null
}

/** Each listed server costs one detail call; past this many the rest are listed by name only. */
const MAX_DETAIL_CALLS = 50
/** Few at a time: each call has its own deadline, and OVH's rate limit is undocumented. */
const DETAIL_CONCURRENCY = 5

/** The list gives service names only; addresses, datacenter and power state need a call each. */
export async function listDedicatedServers(
  ctx: ProviderContext,
  sub: SubsidiaryCode,
  c: OvhCreds,
): Promise<ServerListResult> {
  const api = createOvhClient(ctx, sub, c)
  const list = await api.get<unknown>('/1.0/dedicated/server')
  if (!list.ok || !Array.isArray(list.body))
    throw ovhFailure(sub, list.res, 'GET /dedicated/server')
  const names = list.body.filter((n): n is string => typeof n === 'string')
  const detailed = names.slice(0, MAX_DETAIL_CALLS)
  const details = new Map<string, DedicatedServer>()
  for (let i = 0; i < detailed.length; i += DETAIL_CONCURRENCY) {
    const batch = detailed.slice(i, i + DETAIL_CONCURRENCY)
    const answers = await Promise.all(
      batch.map((n) => api.get<DedicatedServer>(`/1.0/dedicated/server/${encodeURIComponent(n)}`)),
    )
    for (const [j, answer] of answers.entries()) {
      // A server can disappear between the list and its detail call; keep it by name.
      if (!answer.ok && answer.res.status === 404) continue
      if (!answer.ok) throw ovhFailure(sub, answer.res, 'GET /dedicated/server/*')
      details.set(batch[j] as string, answer.body)
    }
  }
  const servers: ServerInfo[] = names.map((serviceName) => {
    const d = details.get(serviceName)
    return {
      providerServerId: serviceName,
      name: d?.iam?.displayName || d?.reverse || serviceName,
      status: d?.powerState ?? d?.state ?? 'unknown',
      region: d?.datacenter ?? null,
      ipv4: d?.ip ?? null,
    }
  })
  const note =
    names.length > MAX_DETAIL_CALLS
      ? `Details were read for the first ${MAX_DETAIL_CALLS} of ${names.length} servers; the rest are listed by name`
      : undefined
  return { outcome: 'listed', servers, ...(note ? { note } : {}) }
}
