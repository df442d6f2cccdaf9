import type { ServerInfo, ServerListResult } from '@cloudlink/shared'
import type { ProviderContext } from '../core/types.js'
import {
  createOvhClient,
  errorCodeOf,
  ovhFailure,
  SUBSIDIARIES,
  type OvhAnswer,
  type OvhCreds,
  type SubsidiaryCode,
} from './client.js'
import { listPaged, type Listed } from './pages.js'

/** `dedicated.Server` (OVH API schema, /1.0/dedicated/server.json). */
interface DedicatedServer {
  name: string
  ip?: string | null
  datacenter?: string | null
  state?: string | null
  powerState?: string | null
  reverse?: string | null
  iam?: { displayName?: string | null } | null
}
/** `vps.VPS` (/1.0/vps.json): no address in it; those come from /vps/{name}/ips. */
interface Vps {
  name: string
  displayName?: string | null
  state?: string | null
  zone?: string | null
  iam?: { displayName?: string | null } | null
}
/** `cloud.instance.Instance` (/1.0/cloud.json, GET /cloud/project/{serviceName}/instance). */
interface Instance {
  id: string
  name?: string | null
  status?: string | null
  region?: string | null
  ipAddresses?: { ip?: string | null; type?: string | null; version?: number | null }[] | null
}

/** Calls made per server (details, addresses), across the product lines of one listing. */
const MAX_ITEM_CALLS = 100
/** Few at a time: each call has its own deadline, and OVH's rate limit is undocumented. */
const CONCURRENCY = 5
/** Refusals that mean "this consumer key or IAM policy may not read that product line". */
const NOT_ALLOWED = ['NOT_GRANTED_CALL', 'FORBIDDEN']

type Api = ReturnType<typeof createOvhClient>

interface Budget {
  left: number
  /** Some servers were listed without the details their calls would have brought. */
  cut: boolean
}

/** Runs `work` over `items`, a few at a time; with a budget, only as many as it has left. */
async function eachBounded<T, R>(
  items: T[],
  budget: Budget | null,
  work: (item: T) => Promise<R>,
): Promise<Map<T, R>> {
  const done = new Map<T, R>()
  const take = budget ? items.slice(0, Math.max(0, budget.left)) : items
  if (budget) {
    budget.left -= take.length
    if (take.length < items.length) budget.cut = true
  }
  for (let i = 0; i < take.length; i += CONCURRENCY) {
    const batch = take.slice(i, i + CONCURRENCY)
    const results = await Promise.all(batch.map(work))
    batch.forEach((item, j) => done.set(item, results[j] as R))
  }
  return done
}

/** A detail object, or undefined when it vanished between the list and the call. */
async function detail<T>(api: Api, sub: SubsidiaryCode, path: string, rule: string) {
  const answer: OvhAnswer<T> = await api.get<T>(path)
  if (answer.ok) return answer.body
  if (answer.res.status === 404) return undefined
  throw ovhFailure(sub, answer.res, rule)
}

const dedicatedInfo = (serviceName: string, d?: DedicatedServer): ServerInfo => ({
  providerServerId: serviceName,
  name: d?.iam?.displayName || d?.reverse || serviceName,
  status: d?.powerState ?? d?.state ?? 'unknown',
  region: d?.datacenter ?? null,
  ipv4: d?.ip ?? null,
  kind: 'dedicated',
})

const firstIpv4 = (ips: unknown) =>
  (Array.isArray(ips) ? ips : []).find(
    (ip): ip is string => typeof ip === 'string' && /^\d+\.\d+\.\d+\.\d+$/.test(ip),
  ) ?? null

/** Dedicated servers: refused access here is the listing's refusal (verify probes the same rule). */
async function dedicated(
  api: Api,
  sub: SubsidiaryCode,
  budget: Budget,
  listed: Listed<DedicatedServer>,
) {
  if (!listed.ok) throw ovhFailure(sub, listed.answer.res, 'GET /dedicated/server')
  if ('objects' in listed)
    return listed.objects
      .filter((d) => typeof d.name === 'string')
      .map((d) => dedicatedInfo(d.name, d))
  const details = await eachBounded(listed.names, budget, (n) =>
    detail<DedicatedServer>(
      api,
      sub,
      `/1.0/dedicated/server/${encodeURIComponent(n)}`,
      'GET /dedicated/server/*',
    ),
  )
  return listed.names.map((n) => dedicatedInfo(n, details.get(n)))
}

async function vpsLine(api: Api, sub: SubsidiaryCode, budget: Budget, listed: Listed<Vps>) {
  if (!listed.ok) return refusedLine(sub, listed.answer, 'GET /vps')
  let vpss: Vps[]
  if ('objects' in listed) vpss = listed.objects.filter((v) => typeof v.name === 'string')
  else {
    const details = await eachBounded(listed.names, budget, (n) =>
      detail<Vps>(api, sub, `/1.0/vps/${encodeURIComponent(n)}`, 'GET /vps/*'),
    )
    vpss = listed.names.map((n) => details.get(n) ?? { name: n })
  }
  const ips = await eachBounded(vpss, budget, (v) =>
    detail<string[]>(api, sub, `/1.0/vps/${encodeURIComponent(v.name)}/ips`, 'GET /vps/*/ips'),
  )
  return vpss.map<ServerInfo>((v) => ({
    providerServerId: v.name,
    name: v.displayName || v.iam?.displayName || v.name,
    status: v.state ?? 'unknown',
    region: v.zone ?? null,
    ipv4: firstIpv4(ips.get(v)),
    kind: 'vps',
  }))
}

/** Public Cloud: every project's instances (the instance list is whole objects already). */
async function instanceLine(api: Api, sub: SubsidiaryCode, projects: OvhAnswer<unknown>) {
  if (!projects.ok) return refusedLine(sub, projects, 'GET /cloud/project')
  const ids = (Array.isArray(projects.body) ? projects.body : []).filter(
    (id): id is string => typeof id === 'string',
  )
  // Not budgeted: each call lists a whole project, and one left out would drop its instances.
  const lists = await eachBounded(ids, null, (id) =>
    detail<Instance[]>(
      api,
      sub,
      `/1.0/cloud/project/${encodeURIComponent(id)}/instance`,
      'GET /cloud/project/*/instance',
    ),
  )
  const servers: ServerInfo[] = []
  for (const list of lists.values())
    for (const i of Array.isArray(list) ? list : []) {
      if (typeof i?.id !== 'string') continue
      const publicV4 = i.ipAddresses?.find((a) => a.type === 'public' && a.version === 4)
      servers.push({
        providerServerId: i.id,
        name: i.name || i.id,
        status: i.status ?? 'unknown',
        region: i.region ?? null,
        ipv4: publicV4?.ip ?? null,
        kind: 'instance',
      })
    }
  return { servers }
}

/** A product line the consumer key may not read is left out with a note; anything else fails. */
function refusedLine(
  sub: SubsidiaryCode,
  answer: { res: OvhAnswer<unknown>['res'] },
  rule: string,
) {
  if (NOT_ALLOWED.includes(errorCodeOf(answer.res))) return { refused: rule }
  throw ovhFailure(sub, answer.res, rule)
}

/**
 * Every server the credential can see: dedicated servers, VPS and the Public Cloud instances of
 * every project, each with its `kind`. Lists come a page of whole objects at a time (pages.ts), so
 * an unchanged account costs a handful of calls, not one per server. The three lists are asked at
 * once (one round trip of waiting, not three); their details follow in a fixed order, so the
 * detail budget goes to the same servers every time.
 */
export async function listOvhServers(
  ctx: ProviderContext,
  sub: SubsidiaryCode,
  c: OvhCreds,
): Promise<ServerListResult> {
  const api = createOvhClient(ctx, sub, c)
  const budget: Budget = { left: MAX_ITEM_CALLS, cut: false }
  const { name } = SUBSIDIARIES[sub]
  const [dedicatedList, vpsList, projects] = await Promise.all([
    listPaged<DedicatedServer>(api.get, '/1.0/dedicated/server', name),
    listPaged<Vps>(api.get, '/1.0/vps', name),
    api.get<unknown>('/1.0/cloud/project'),
  ])
  const servers = await dedicated(api, sub, budget, dedicatedList)
  const notes: string[] = []
  const vps = await vpsLine(api, sub, budget, vpsList)
  if ('refused' in vps) notes.push(vps.refused)
  else servers.push(...vps)
  const cloud = await instanceLine(api, sub, projects)
  if ('refused' in cloud) notes.push(cloud.refused)
  else servers.push(...cloud.servers)

  const messages: string[] = []
  if (notes.length > 0)
    messages.push(
      `The consumer key may not read ${notes.join(' or ')}, so ${SUBSIDIARIES[sub].name} servers of that kind are not listed; add the rule to list them`,
    )
  if (budget.cut)
    messages.push(
      `Details were read with at most ${MAX_ITEM_CALLS} calls for single servers; the rest are listed without them`,
    )
  return { outcome: 'listed', servers, ...(messages.length ? { note: messages.join('. ') } : {}) }
}
