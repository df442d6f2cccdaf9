import { randomUUID } from 'node:crypto'
import { chars, HEX, ipv4, randomRng } from '../../generate.js'
import { json } from '../../http.js'
import type { Account, RouteContext, SimResponse } from '../../spec.js'
import { params } from './auth.js'
import { regionOfZone } from './regions.js'
import { parseAuthorization } from './sigv4.js'
import { ec2Error, escape } from './xml.js'

/**
 * EC2 RunInstances and TerminateInstances (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/
 * API_RunInstances.html, API_TerminateInstances.html), in the signing region, answered in the
 * ec2Query XML that @aws-sdk/client-ec2 deserialises. RunInstances answers the instances
 * `pending`; TerminateInstances answers `shutting-down` and leaves them listed as `terminated`,
 * as EC2 keeps terminated instances visible for a while. Keys without the permission (an
 * `insufficient` key, or `access.compute` below `write`) get UnauthorizedOperation.
 */

const XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/'
const STATE_CODES: Record<string, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
}
export const stateCode = (name: string) => STATE_CODES[name] ?? 0

const xml = (body: string): SimResponse =>
  json(200, `<?xml version="1.0" encoding="UTF-8"?>\n${body}`, {
    'content-type': 'text/xml;charset=UTF-8',
  })

/** ec2:RunInstances / TerminateInstances: neither an `insufficient` key nor one reading compute. */
const mayWrite = (account: Account) =>
  account.scopes !== 'insufficient' && (account.access?.compute ?? 'write') === 'write'

const unauthorized = () =>
  ec2Error(403, 'UnauthorizedOperation', 'You are not authorized to perform this operation.')
const dryRun = () =>
  ec2Error(412, 'DryRunOperation', 'Request would have succeeded, but DryRun flag is set.')

/** `Prefix.1`, `Prefix.2`, … until one is missing. */
function numbered(p: URLSearchParams, prefix: string): string[] {
  const values: string[] = []
  for (let i = 1; p.has(`${prefix}.${i}`); i++) values.push(p.get(`${prefix}.${i}`) ?? '')
  return values
}

/** The Name tag of TagSpecification.N with ResourceType `instance`. */
function nameTag(p: URLSearchParams): string {
  for (let n = 1; p.has(`TagSpecification.${n}.ResourceType`); n++) {
    if (p.get(`TagSpecification.${n}.ResourceType`) !== 'instance') continue
    for (let m = 1; p.has(`TagSpecification.${n}.Tag.${m}.Key`); m++)
      if (p.get(`TagSpecification.${n}.Tag.${m}.Key`) === 'Name')
        return p.get(`TagSpecification.${n}.Tag.${m}.Value`) ?? ''
  }
  return ''
}

const count = (value: string | null) => (value && /^\d+$/.test(value) ? Number(value) : NaN)

export function runInstances({ req, account, now }: RouteContext): SimResponse {
  const p = params(req)
  if (!mayWrite(account)) return unauthorized()
  const imageId = p.get('ImageId')
  if (!imageId)
    return ec2Error(400, 'MissingParameter', 'The request must contain the parameter ImageId')
  if (!/^ami-[0-9a-f]{8,17}$/.test(imageId))
    return ec2Error(400, 'InvalidAMIID.Malformed', `Invalid id: "${imageId}"`)
  const min = count(p.get('MinCount'))
  const max = count(p.get('MaxCount'))
  if (Number.isNaN(min) || Number.isNaN(max))
    return ec2Error(400, 'MissingParameter', 'The request must contain the parameter MinCount')
  if (min < 1 || max < min || max > 20)
    return ec2Error(
      400,
      'InvalidParameterValue',
      'MinCount and MaxCount must be 1 to 20, MinCount <= MaxCount',
    )
  if (p.get('DryRun') === 'true') return dryRun()
  const region = parseAuthorization(req.headers.authorization)?.region ?? 'us-east-1'
  const zone = p.get('Placement.AvailabilityZone') ?? `${region}a`
  if (regionOfZone(zone) !== region)
    return ec2Error(400, 'InvalidParameterValue', `Invalid availability zone: [${zone}]`)
  const type = p.get('InstanceType') ?? 'm1.small'
  const name = nameTag(p)
  const rng = randomRng()
  const launched = Array.from({ length: max }, () => ({
    providerServerId: `i-${chars(rng, HEX, 17)}`,
    name,
    status: 'running',
    region: zone,
    ipv4: ipv4(rng),
  }))
  account.servers.push(...launched)
  const launchTime = new Date(now).toISOString().replace(/\.\d{3}Z$/, '.000Z')
  const tags = name
    ? `<tagSet><item><key>Name</key><value>${escape(name)}</value></item></tagSet>`
    : ''
  const items = launched.map(
    (s, i) =>
      `<item><instanceId>${s.providerServerId}</instanceId><imageId>${escape(imageId)}</imageId><instanceState><code>0</code><name>pending</name></instanceState><privateDnsName/><dnsName/><reason/><amiLaunchIndex>${i}</amiLaunchIndex><productCodes/><instanceType>${escape(type)}</instanceType><launchTime>${launchTime}</launchTime><placement><availabilityZone>${escape(zone)}</availabilityZone><groupName/><tenancy>default</tenancy></placement><monitoring><state>disabled</state></monitoring>${tags}</item>`,
  )
  return xml(
    `<RunInstancesResponse xmlns="${XMLNS}"><requestId>${randomUUID()}</requestId><reservationId>r-${chars(rng, HEX, 17)}</reservationId><ownerId>${escape(account.identity.id)}</ownerId><groupSet/><instancesSet>${items.join('')}</instancesSet></RunInstancesResponse>`,
  )
}

export function terminateInstances({ req, account }: RouteContext): SimResponse {
  const p = params(req)
  if (!mayWrite(account)) return unauthorized()
  const ids = numbered(p, 'InstanceId')
  if (ids.length === 0)
    return ec2Error(400, 'MissingParameter', 'The request must contain the parameter InstanceId')
  const malformed = ids.find((id) => !/^i-[0-9a-f]{8,17}$/.test(id))
  if (malformed) return ec2Error(400, 'InvalidInstanceID.Malformed', `Invalid id: "${malformed}"`)
  const region = parseAuthorization(req.headers.authorization)?.region
  const inRegion = account.servers.filter((s) => regionOfZone(s.region) === region)
  const missing = ids.filter((id) => !inRegion.some((s) => s.providerServerId === id))
  if (missing.length)
    return ec2Error(
      400,
      'InvalidInstanceID.NotFound',
      missing.length === 1
        ? `The instance ID '${missing[0]}' does not exist`
        : `The instance IDs '${missing.join(', ')}' do not exist`,
    )
  if (p.get('DryRun') === 'true') return dryRun()
  const items = ids.map((id) => {
    const s = inRegion.find((x) => x.providerServerId === id)!
    const previous = s.status
    const current = previous === 'terminated' ? 'terminated' : 'shutting-down'
    s.status = 'terminated'
    return `<item><instanceId>${id}</instanceId><currentState><code>${stateCode(current)}</code><name>${current}</name></currentState><previousState><code>${stateCode(previous)}</code><name>${escape(previous)}</name></previousState></item>`
  })
  return xml(
    `<TerminateInstancesResponse xmlns="${XMLNS}"><requestId>${randomUUID()}</requestId><instancesSet>${items.join('')}</instancesSet></TerminateInstancesResponse>`,
  )
}
