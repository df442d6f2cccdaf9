import { chars, digits, HEX, pastDate, seededRng } from '../../generate.js'
import { json } from '../../http.js'
import { paginate } from '../../paginate.js'
import type { RouteContext } from '../../spec.js'
import type { SimServer } from '../../types.js'

/** Hetzner Cloud's objects as the API renders them: locations, the server type, servers, lists. */

const loc = (
  name: string,
  description: string,
  country: string,
  city: string,
  latitude: number,
  longitude: number,
  network_zone: string,
) => ({ name, description, country, city, latitude, longitude, network_zone })

export const LOCATIONS = [
  loc('fsn1', 'Falkenstein DC Park 1', 'DE', 'Falkenstein', 50.47612, 12.370071, 'eu-central'),
  loc('nbg1', 'Nuremberg DC Park 1', 'DE', 'Nuremberg', 49.452102, 11.076665, 'eu-central'),
  loc('hel1', 'Helsinki DC Park 1', 'FI', 'Helsinki', 60.169855, 24.938379, 'eu-central'),
  loc('ash', 'Ashburn, VA', 'US', 'Ashburn, VA', 39.045821, -77.487073, 'us-east'),
  loc('hil', 'Hillsboro, OR', 'US', 'Hillsboro, OR', 45.54222, -122.951924, 'us-west'),
  loc('sin', 'Singapore', 'SG', 'Singapore', 1.283333, 103.833333, 'ap-southeast'),
].map((l, i) => ({ id: i + 1, ...l }))

const DC_NUMBER: Record<string, number> = { fsn1: 14, nbg1: 3, hel1: 2 }

const price = (location: string, hourly: string, monthly: string) => ({
  location,
  price_hourly: { net: hourly, gross: hourly },
  price_monthly: { net: monthly, gross: monthly },
  included_traffic: 21990232555520,
  price_per_tb_traffic: { net: '1.0000000000', gross: '1.0000000000' },
})

/** Embedded in every server as the API embeds it, prices per location included. */
export const SERVER_TYPE = {
  id: 104,
  name: 'cx22',
  description: 'CX22',
  cores: 2,
  memory: 4,
  disk: 40,
  deprecated: false,
  prices: ['fsn1', 'nbg1', 'hel1'].map((l) => price(l, '0.0060000000', '3.7900000000')),
  storage_type: 'local',
  cpu_type: 'shared',
  architecture: 'x86',
  deprecation: null,
}

export const IMAGE = {
  id: 161547269,
  type: 'system',
  status: 'available',
  name: 'ubuntu-24.04',
  description: 'Ubuntu 24.04',
  image_size: null,
  disk_size: 5,
  created: '2024-04-25T12:00:00Z',
  created_from: null,
  bound_to: null,
  os_flavor: 'ubuntu',
  os_version: '24.04',
  rapid_deploy: true,
  protection: { delete: false },
  deprecated: null,
  deleted: null,
  labels: {},
  architecture: 'x86',
}

/** A region the table lacks (set by a test) still gets a complete location object. */
const location = (name: string) =>
  LOCATIONS.find((l) => l.name === name) ?? {
    id: 100,
    ...loc(name, name, 'DE', name, 0, 0, 'eu-central'),
  }

export function toServer(s: SimServer) {
  const where = location(s.region)
  const dc = DC_NUMBER[s.region] ?? 1
  const rng = seededRng(s.providerServerId)
  return {
    id: Number(s.providerServerId),
    name: s.name,
    status: s.status,
    created: pastDate(rng),
    public_net: {
      ipv4: s.ipv4 ? { id: Number(digits(rng, 8)), ip: s.ipv4, blocked: false, dns_ptr: '' } : null,
      // Every server gets a /64 unless created without one; hcloud-js reads it unconditionally.
      ipv6: {
        id: Number(digits(rng, 8)),
        ip: `2001:db8:${chars(rng, HEX, 4)}:${chars(rng, HEX, 4)}::/64`,
        blocked: false,
        dns_ptr: [],
      },
      floating_ips: [],
      firewalls: [],
    },
    private_net: [],
    server_type: SERVER_TYPE,
    datacenter: {
      id: where.id,
      name: `${s.region}-dc${dc}`,
      description: `${where.city} virtual DC ${dc}`,
      location: where,
      server_types: { supported: [104], available: [104], available_for_migration: [104] },
    },
    included_traffic: 21990232555520,
    outgoing_traffic: null,
    ingoing_traffic: null,
    backup_window: null,
    rescue_enabled: false,
    iso: null,
    primary_disk_size: 40,
    volumes: [],
    load_balancers: [],
    placement_group: null,
    image: IMAGE,
    labels: {},
    locked: false,
    protection: { delete: false, rebuild: false },
  }
}

/** Hetzner wraps every list in `meta.pagination`; only the page's items are rendered. */
export function list<T>(ctx: RouteContext, key: string, items: T[], render: (item: T) => unknown) {
  const p = paginate(
    items,
    ctx.req.url.searchParams,
    { page: 'page', perPage: 'per_page' },
    {
      default: 25,
      max: 50,
    },
  )
  const pagination = {
    page: p.page,
    per_page: p.perPage,
    previous_page: p.page > 1 ? p.page - 1 : null,
    next_page: p.page < p.lastPage ? p.page + 1 : null,
    last_page: p.lastPage,
    total_entries: p.total,
  }
  return json(200, { [key]: p.items.map(render), meta: { pagination } })
}
