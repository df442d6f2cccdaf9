import { pastDate, seededRng, stableUuid, uuid } from '../../generate.js'
import { json } from '../../http.js'
import { paginate } from '../../paginate.js'
import type { Account, RouteContext } from '../../spec.js'
import type { SimServer } from '../../types.js'

/** Scaleway Instance servers as the API renders them, and the zone-scoped list. */

export const SCALEWAY_ZONES = [
  'fr-par-1',
  'fr-par-2',
  'fr-par-3',
  'nl-ams-1',
  'nl-ams-2',
  'nl-ams-3',
  'pl-waw-1',
  'pl-waw-2',
  'pl-waw-3',
]

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const notFound = (resource: string, id: string) =>
  json(404, { message: 'resource is not found', resource, resource_id: id, type: 'not_found' })

/** A server whose region is no Scaleway zone (one a test made up) lives in the default zone. */
export const zoneOf = (s: SimServer) => (SCALEWAY_ZONES.includes(s.region) ? s.region : 'fr-par-1')

export function toServer(s: SimServer, account: Account, project: string) {
  const rng = seededRng(s.providerServerId)
  const created = pastDate(rng)
  const id = (what: string) => stableUuid(`${s.providerServerId}:${what}`)
  const publicIp = s.ipv4
    ? {
        id: id('ip'),
        address: s.ipv4,
        dynamic: false,
        family: 'inet',
        provisioning_mode: 'dhcp',
        state: 'attached',
      }
    : null
  return {
    id: s.providerServerId,
    name: s.name,
    arch: 'x86_64',
    commercial_type: 'DEV1-S',
    boot_type: 'local',
    organization: account.identity.id,
    project,
    hostname: s.name,
    image: { id: id('image'), name: 'Ubuntu 24.04 Noble Numbat', arch: 'x86_64' },
    protected: false,
    private_ip: null,
    public_ip: publicIp,
    public_ips: publicIp ? [publicIp] : [],
    mac_address: id('mac')
      .replace(/-/g, '')
      .slice(0, 12)
      .replace(/(..)(?!$)/g, '$1:'),
    creation_date: created,
    modification_date: created,
    state: s.status,
    location: null,
    ipv6: null,
    zone: zoneOf(s),
    tags: [],
    security_group: { id: id('security-group'), name: 'Default security group' },
    state_detail: s.status === 'running' ? 'booted' : '',
    allowed_actions: s.status === 'running' ? ['poweroff', 'terminate', 'reboot'] : ['poweron'],
    dynamic_ip_required: false,
    routed_ip_enabled: true,
    volumes: {
      '0': {
        id: id('volume'),
        name: `${s.name}-root`,
        volume_type: 'sbs_volume',
        state: 'in_use',
        zone: zoneOf(s),
        boot: true,
      },
    },
    maintenances: [],
    private_nics: [],
    filesystems: [],
    end_of_service: false,
    placement_group: null,
  }
}

/**
 * Instance lists page with `page`/`per_page`; the total is `total_count` in the body (the
 * documented ListServersResponse) and, as the legacy Instance API also sends it, `X-Total-Count`.
 */
export function servers(ctx: RouteContext) {
  const zone = ctx.params.zone ?? ''
  if (!SCALEWAY_ZONES.includes(zone)) return notFound('zone', zone)
  const inZone = ctx.account.servers.filter((s) => zoneOf(s) === zone)
  const p = paginate(
    inZone,
    ctx.req.url.searchParams,
    { page: 'page', perPage: 'per_page' },
    { default: 50, max: 100 },
  )
  const project = uuid(seededRng(ctx.account.identity.id))
  const servers = p.items.map((s) => toServer(s, ctx.account, project))
  return json(200, { servers, total_count: p.total }, { 'X-Total-Count': String(p.total) })
}
