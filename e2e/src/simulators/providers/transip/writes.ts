import { ipv4, randomRng } from '../../generate.js'
import { json, jsonBody } from '../../http.js'
import type { Route, RouteContext } from '../../spec.js'

/**
 * Ordering and cancelling a VPS as gotransip does it (vps/repository.go Order: POST /vps with a
 * VpsOrder body, answered 201 without a body; Cancel: DELETE /vps/{vpsName} with
 * `{"endTime": "end"|"immediately"}`, answered 204; rest/method.go expects those statuses).
 * TransIP names the new VPS `<login>-vps<n>`; the order's description is what tells it apart.
 * A cancellation at the `end` of the contract leaves the VPS listed until then. Read-only tokens
 * are refused before these run (./index.ts). The 406 bodies are UNCONFIRMED.
 */

const err = (status: number, message: string) => json(status, { error: message })

/** Products the simulator sells (the catalogue is GET /products on the real API). */
const PRODUCTS = ['vps-bladevps-x1', 'vps-bladevps-x4', 'vps-bladevps-x8', 'vps-performance-c2']
const ZONES = ['ams0', 'rtm0']

function order({ req, account }: RouteContext) {
  const body = jsonBody(req)
  if (!body) return err(400, 'Request body is not valid JSON')
  const { productName, availabilityZone, description } = body
  if (typeof productName !== 'string' || !productName)
    return err(406, "Field 'productName' is required")
  if (!PRODUCTS.includes(productName)) return err(406, `Product '${productName}' does not exist`)
  const zone = typeof availabilityZone === 'string' ? availabilityZone : 'ams0'
  if (!ZONES.includes(zone)) return err(406, `Availability zone '${zone}' does not exist`)
  const login = account.credentials.login ?? 'transip'
  const taken = new Set(account.servers.map((s) => s.providerServerId))
  let n = 1
  while (taken.has(`${login}-vps${n}`)) n++
  const name = `${login}-vps${n}`
  account.servers.push({
    providerServerId: name,
    name: typeof description === 'string' ? description : '',
    status: 'running',
    region: zone,
    ipv4: ipv4(randomRng()),
  })
  return json(201)
}

function cancel({ req, account, params }: RouteContext) {
  const at = account.servers.findIndex((s) => s.providerServerId === params.vpsName)
  if (at < 0) return err(404, `Vps with name '${params.vpsName}' not found`)
  const endTime = jsonBody(req)?.endTime
  if (endTime !== 'end' && endTime !== 'immediately')
    return err(406, "Field 'endTime' must be 'end' or 'immediately'")
  if (endTime === 'immediately') account.servers.splice(at, 1)
  return json(204)
}

export const writeRoutes: Route[] = [
  { method: 'POST', path: '/v6/vps', write: true, handle: order },
  { method: 'DELETE', path: '/v6/vps/:vpsName', write: true, handle: cancel },
]
