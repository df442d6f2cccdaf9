import { chars, HEX, randomRng } from '../../generate.js'
import { jsonBody } from '../../http.js'
import type { Account, Route, RouteContext, SimResponse } from '../../spec.js'
import { resourcesOf } from '../../store.js'
import type { SimServer } from '../../types.js'
import { accountIdOf, envelope, list, ok, toZone } from './render.js'

/**
 * Cloudflare has no servers; its harmless writes are DNS records on a zone (POST, GET and DELETE
 * /zones/{zone_id}/dns_records, the SDK's client.dns.records) and zones themselves (POST /zones,
 * DELETE /zones/{zone_id}). Records keep the SDK's RecordResponse fields; a relative name is
 * stored under the zone, as Cloudflare does. Error codes marked UNCONFIRMED are our guess.
 */

interface DnsRecord {
  id: string
  zone_id: string
  name: string
  type: string
  content: string
  proxiable: boolean
  proxied: boolean
  ttl: number
  settings: object
  meta: object
  comment: string | null
  tags: string[]
  created_on: string
  modified_on: string
}

const TYPES = ['A', 'AAAA', 'CNAME', 'TXT', 'MX', 'NS', 'SRV', 'CAA']
const IPV4 = /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)$/
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i

const recordsOf = (account: Account) => resourcesOf<DnsRecord>(account, 'cloudflare:dns_records')
const zoneName = (s: SimServer, account: Account) => toZone(s, account).name
const stamp = (now: number) => new Date(now).toISOString()

/** The zone in the path, or Cloudflare's answer for an identifier it cannot route to. */
function zoneOf(ctx: RouteContext): SimServer | SimResponse {
  const zone = ctx.account.servers.find((s) => s.providerServerId === ctx.params.zoneId)
  return (
    zone ??
    envelope(404, 7003, 'Could not route to the zone, perhaps your object identifier is invalid?')
  )
}

/** `@` and relative names are under the zone; a name already ending in it is kept. */
function fullName(name: string, zone: string) {
  if (name === '@' || name === zone) return zone
  return name.endsWith(`.${zone}`) ? name : `${name}.${zone}`
}

function createRecord(ctx: RouteContext) {
  const zone = zoneOf(ctx)
  if (!('providerServerId' in zone)) return zone
  const body = jsonBody(ctx.req)
  if (!body) return envelope(400, 9207, 'Request body is invalid.')
  const { type, name, content } = body
  if (typeof type !== 'string' || !TYPES.includes(type))
    return envelope(400, 9004, 'DNS record type is invalid.') // code UNCONFIRMED
  if (typeof name !== 'string' || !name) return envelope(400, 9007, 'DNS name is invalid.')
  if (typeof content !== 'string' || !content)
    return envelope(400, 9008, 'DNS record content is invalid.') // code UNCONFIRMED
  if (type === 'A' && !IPV4.test(content))
    return envelope(400, 9005, 'Content for A record must be a valid IPv4 address.')
  const fqdn = fullName(name.toLowerCase(), zoneName(zone, ctx.account)).toLowerCase()
  const records = recordsOf(ctx.account)
  if (
    records.some(
      (r) =>
        r.zone_id === zone.providerServerId &&
        r.name === fqdn &&
        r.type === type &&
        r.content === content,
    )
  )
    return envelope(400, 81058, 'An identical record already exists.')
  const proxiable = ['A', 'AAAA', 'CNAME'].includes(type)
  const record: DnsRecord = {
    id: chars(randomRng(), HEX, 32),
    zone_id: zone.providerServerId,
    name: fqdn,
    type,
    content,
    proxiable,
    proxied: proxiable && body.proxied === true,
    ttl: typeof body.ttl === 'number' ? body.ttl : 1,
    settings: {},
    meta: {},
    comment: typeof body.comment === 'string' ? body.comment : null,
    tags: Array.isArray(body.tags) ? body.tags.filter((t) => typeof t === 'string') : [],
    created_on: stamp(ctx.now),
    modified_on: stamp(ctx.now),
  }
  records.push(record)
  return ok(publicRecord(record))
}

/** The SDK's RecordResponse has no zone id (a deprecated field Cloudflare dropped). */
const publicRecord = ({ zone_id: _zone, ...record }: DnsRecord) => record

function listRecords(ctx: RouteContext) {
  const zone = zoneOf(ctx)
  if (!('providerServerId' in zone)) return zone
  const inZone = recordsOf(ctx.account).filter((r) => r.zone_id === zone.providerServerId)
  return list(ctx, inZone, publicRecord)
}

function deleteRecord(ctx: RouteContext) {
  const zone = zoneOf(ctx)
  if (!('providerServerId' in zone)) return zone
  const records = recordsOf(ctx.account)
  const at = records.findIndex((r) => r.id === ctx.params.id && r.zone_id === zone.providerServerId)
  if (at < 0) return envelope(404, 81044, 'Record does not exist.')
  records.splice(at, 1)
  return ok({ id: ctx.params.id })
}

/** POST /zones `{name, account: {id}, type}`: the new zone is `pending` until its name servers are set. */
function createZone(ctx: RouteContext) {
  const body = jsonBody(ctx.req)
  const name = typeof body?.name === 'string' ? body.name.toLowerCase() : ''
  if (!DOMAIN.test(name)) return envelope(400, 1097, 'Please supply a valid domain name.') // code UNCONFIRMED
  const accountId = (body?.account as { id?: unknown } | undefined)?.id
  if (accountId !== undefined && accountId !== accountIdOf(ctx.account))
    return envelope(403, 9109, 'Unauthorized to access requested resource')
  if (ctx.account.servers.some((s) => zoneName(s, ctx.account) === name))
    return envelope(400, 1061, `${name} already exists`)
  const zone = {
    providerServerId: chars(randomRng(), HEX, 32),
    name,
    status: 'pending',
    region: 'global',
    ipv4: null,
  }
  ctx.account.servers.push(zone)
  return ok(toZone(zone, ctx.account))
}

function deleteZone(ctx: RouteContext) {
  const zone = zoneOf(ctx)
  if (!('providerServerId' in zone)) return zone
  ctx.account.servers.splice(ctx.account.servers.indexOf(zone), 1)
  const records = recordsOf(ctx.account)
  for (let i = records.length - 1; i >= 0; i--)
    if (records[i]?.zone_id === zone.providerServerId) records.splice(i, 1)
  return ok({ id: zone.providerServerId })
}

const records = '/client/v4/zones/:zoneId/dns_records'

export const writeRoutes: Route[] = [
  { method: 'GET', path: records, scope: 'DNS:Read', handle: listRecords },
  {
    method: 'POST',
    path: records,
    scope: 'DNS:Edit',
    write: true,
    capability: 'dns',
    handle: createRecord,
  },
  {
    method: 'DELETE',
    path: `${records}/:id`,
    scope: 'DNS:Edit',
    write: true,
    capability: 'dns',
    handle: deleteRecord,
  },
  {
    method: 'POST',
    path: '/client/v4/zones',
    scope: 'Zone:Edit',
    write: true,
    capability: 'dns',
    handle: createZone,
  },
  {
    method: 'DELETE',
    path: '/client/v4/zones/:zoneId',
    scope: 'Zone:Edit',
    write: true,
    capability: 'dns',
    handle: deleteZone,
  },
]
