import { parseFault } from './faults.js'
import { BadInput, json, parseJson, UnknownCredential } from './http.js'
import type { SimRequest, SimResponse } from './spec.js'
import type {
  CredentialOptions,
  Credentials,
  DemoCredentials,
  SimAccess,
  SimServer,
  Simulator,
} from './types.js'

export const CONTROL_PREFIX = '/__sim/'

/**
 * The HTTP face of the in-process methods, for browser tests and humans. It only calls the
 * `Simulator` methods, so both ways of steering a simulator see the same state by construction.
 */
export function handleControl(req: SimRequest, sim: Simulator, demo: DemoCredentials): SimResponse {
  try {
    return route(req, sim, demo)
  } catch (err: unknown) {
    if (err instanceof BadInput) return json(400, { error: err.message })
    if (err instanceof UnknownCredential) return json(404, { error: err.message })
    throw err
  }
}

function route(req: SimRequest, sim: Simulator, demo: DemoCredentials): SimResponse {
  const action = `${req.method} ${req.url.pathname.slice(CONTROL_PREFIX.length).replace(/\/$/, '')}`
  const body = () => asObject(parseJson(req.body))
  switch (action) {
    case 'GET ':
      return json(200, { id: sim.id, url: sim.url, demoCredentials: demo })
    case 'POST credentials':
      return json(201, sim.issueCredential(options(body())))
    case 'PUT credentials': {
      const b = body()
      sim.registerCredential(credentials(b), options(b))
      return json(201, credentials(b))
    }
    case 'POST revoke':
      sim.revoke(credentials(body()))
      return json(204)
    case 'POST restore':
      sim.restore(credentials(body()))
      return json(204)
    case 'PUT servers': {
      const b = body()
      sim.setServers(credentials(b), b.servers as SimServer[])
      return json(204)
    }
    case 'PUT fault': {
      const b = body()
      if (!('fault' in b)) throw new BadInput('fault is required (null clears it)')
      if (b.times !== undefined && typeof b.times !== 'number') throw new BadInput('bad times')
      sim.fault(parseFault(b.fault), { times: b.times as number | undefined })
      return json(204)
    }
    case 'GET requests':
      return json(200, { items: sim.requests })
    case 'DELETE requests':
      sim.clearRequests()
      return json(204)
    case 'POST clock': {
      const seconds = body().advanceSeconds
      if (typeof seconds !== 'number' || seconds < 0) throw new BadInput('advanceSeconds >= 0')
      sim.advanceClock(seconds)
      return json(204)
    }
    case 'DELETE limits':
      sim.clearLimits()
      return json(204)
    default:
      return json(404, { error: `no control endpoint ${action}` })
  }
}

const asObject = (value: unknown): Record<string, unknown> => {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new BadInput('body must be a JSON object')
  }
  return value as Record<string, unknown>
}

function stringsOnly(value: Record<string, unknown>, name: string): Record<string, string> {
  if (!Object.values(value).every((v) => typeof v === 'string')) {
    throw new BadInput(`${name} values must be strings`)
  }
  return value as Record<string, string>
}

const credentials = (body: Record<string, unknown>): Credentials =>
  stringsOnly(asObject(body.credentials), 'credentials')

function options(body: Record<string, unknown>): CredentialOptions {
  const { servers, scopes, identity, latencyMs, orderingDisabled, access } = body
  if (scopes !== undefined && scopes !== 'full' && scopes !== 'insufficient') {
    throw new BadInput("scopes must be 'full' or 'insufficient'")
  }
  if (latencyMs !== undefined && typeof latencyMs !== 'number') throw new BadInput('bad latencyMs')
  if (orderingDisabled !== undefined && typeof orderingDisabled !== 'boolean') {
    throw new BadInput('bad orderingDisabled')
  }
  return {
    servers: servers as SimServer[] | undefined,
    scopes,
    identity: identity === undefined ? undefined : stringsOnly(asObject(identity), 'identity'),
    latencyMs,
    orderingDisabled,
    ...(access === undefined ? {} : { access: accessOf(access) }),
  }
}

function accessOf(value: unknown): SimAccess {
  const access = asObject(value)
  for (const [key, level] of Object.entries(access))
    if (
      !['compute', 'dns', 'storage'].includes(key) ||
      !['write', 'read', 'none'].includes(String(level))
    )
      throw new BadInput("access: { compute?, dns?, storage? } of 'write', 'read' or 'none'")
  return access as SimAccess
}
