import { PROVIDER_IDS, type ProviderId } from '@cloudlink/shared'
import type { Credentials, Simulator } from '../../src/simulators/index.js'
import { aws, ovh, scaleway, transip } from './cases/keys.js'
import { azure, gcp } from './cases/oauth.js'
import {
  cloudflare,
  digitalocean,
  hetznerCloud,
  hetznerRobot,
  hostinger,
  linode,
  upcloud,
  vultr,
} from './cases/tokens.js'
import type { CaseSpec, ProviderCase } from './cases/types.js'

export type { ProviderCase } from './cases/types.js'

/**
 * What the shared simulator tests know about each provider, by id: adding a provider id without
 * its case here fails to compile (the cases live in cases/, grouped by how a provider is called).
 */
const caseOf: Record<ProviderId, CaseSpec> = {
  'hetzner-cloud': hetznerCloud,
  'hetzner-robot': hetznerRobot,
  digitalocean,
  vultr,
  linode,
  upcloud,
  hostinger,
  cloudflare,
  scaleway,
  transip,
  aws,
  'ovh-eu': ovh,
  'ovh-ca': ovh,
  azure,
  gcp,
}

export const cases: ProviderCase[] = PROVIDER_IDS.map((id) => ({ id, ...caseOf[id] }))

/** GET `path` on the simulator, authenticated as `c` (or with no credential at all). */
export async function call(sim: Simulator, path: string, c?: Credentials, init: RequestInit = {}) {
  const pc = caseOf[sim.id]
  const headers = {
    ...(c && pc.authHeaders ? pc.authHeaders(c) : {}),
    ...(init.headers as Record<string, string>),
  }
  const res = pc.send
    ? await pc.send(sim, path, c, init)
    : await fetch(sim.url + path, { ...init, headers })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: (pc.parse ?? parseOrText)(text), text }
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** Control API call. */
export async function control(sim: Simulator, method: string, path: string, body?: unknown) {
  const res = await fetch(`${sim.url}/__sim/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined }
}
