import Cloudflare from 'cloudflare'
import { noClose, secretOf, type ClientTarget, type ServerClient } from './types.js'

/**
 * Cloudflare through its official SDK. It has no servers: `servers()` reads the zones, and the
 * write is an A record in the first zone (names relative to the zone, as the record was asked for).
 */
export function client(target: ClientTarget): ServerClient {
  const cf = new Cloudflare({
    apiToken: secretOf(target, 'token'),
    baseURL: `${target.baseUrl}/client/v4`,
    maxRetries: 0,
  })
  const zones = async () => {
    const all = []
    for await (const zone of cf.zones.list({ per_page: 50 })) all.push(zone)
    return all
  }
  const firstZone = async () => {
    const [zone] = await zones()
    if (!zone) throw new Error('the account has no zone to write a record in')
    return zone
  }
  return {
    servers: async () => (await zones()).map((z) => z.name),
    async list() {
      const zone = await firstZone()
      const names = []
      for await (const r of cf.dns.records.list({ zone_id: zone.id, per_page: 100 }))
        names.push(
          r.name.endsWith(`.${zone.name}`) ? r.name.slice(0, -zone.name.length - 1) : r.name,
        )
      return names
    },
    async create(name) {
      const zone = await firstZone()
      const record = await cf.dns.records.create({
        zone_id: zone.id,
        type: 'A',
        name,
        content: '192.0.2.10',
        ttl: 1,
        proxied: false,
      })
      return record.id
    },
    async remove(id) {
      await cf.dns.records.delete(id, { zone_id: (await firstZone()).id })
    },
    close: noClose,
  }
}
