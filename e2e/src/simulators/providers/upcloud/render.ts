import { chars, HEX, seededRng } from '../../generate.js'
import { json } from '../../http.js'
import type { SimRequest, SimResponse } from '../../spec.js'
import type { SimServer } from '../../types.js'

/** UpCloud's two error shapes, its zones, and servers as the API renders them. */

export const problem = (status: number, code: string, title: string): SimResponse =>
  json(
    status,
    { type: `https://api.upcloud.com/1.3/errors#ERROR_${code}`, title, status },
    { 'content-type': 'application/problem+json' },
  )

export const legacy = (status: number, code: string, message: string): SimResponse =>
  json(status, { error: { error_code: code, error_message: message } })

export const usesBasic = (req: SimRequest) => /^Basic\s/i.test(req.headers.authorization ?? '')

export const failure = (req: SimRequest, status: number, code: string, message: string) =>
  usesBasic(req) ? legacy(status, code, message) : problem(status, code, message)

export const ZONES = ['fi-hel1', 'de-fra1', 'nl-ams1', 'uk-lon1', 'us-chi1', 'sg-sin1']

export function toServer(s: SimServer) {
  return {
    core_number: '1',
    hostname: `${s.name}.example.com`,
    labels: { label: [] },
    license: 0,
    memory_amount: '1024',
    plan: '1xCPU-1GB',
    plan_ipv4_bytes: '0',
    plan_ipv6_bytes: '0',
    server_group: '',
    simple_backup: 'no',
    state: s.status,
    tags: { tag: [] },
    title: s.name,
    uuid: s.providerServerId,
    zone: s.region,
  }
}

export function toAddresses(s: SimServer) {
  if (!s.ipv4) return []
  const rng = seededRng(s.providerServerId)
  return [
    {
      access: 'public',
      address: s.ipv4,
      family: 'IPv4',
      floating: 'no',
      mac: Array.from({ length: 6 }, () => chars(rng, HEX, 2)).join(':'),
      part_of_plan: 'yes',
      ptr_record: `${s.ipv4.split('.').reverse().join('-')}.v4.upcloud.host`,
      server: s.providerServerId,
      zone: s.region,
    },
  ]
}
