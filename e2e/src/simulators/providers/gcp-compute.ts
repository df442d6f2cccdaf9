import { pastDate, seededRng } from '../generate.js'
import { json } from '../http.js'
import type { SimServer } from '../types.js'

/** Google Cloud's Compute Engine side of the simulator: the project, its zones and instances. */
export const GCP_SIM_PROJECT = { projectId: 'sim-project-4711', projectNumber: '874102938811' }
export const ZONES = ['europe-west1-b', 'europe-west3-a', 'us-central1-a', 'asia-east1-a']

export function toInstance(s: SimServer) {
  const rng = seededRng(s.providerServerId)
  const zone = `https://www.googleapis.com/compute/v1/projects/${GCP_SIM_PROJECT.projectId}/zones/${s.region}`
  return {
    kind: 'compute#instance',
    id: s.providerServerId,
    creationTimestamp: pastDate(rng),
    name: s.name,
    machineType: `${zone}/machineTypes/e2-small`,
    status: s.status,
    zone,
    networkInterfaces: [
      {
        network: `https://www.googleapis.com/compute/v1/projects/${GCP_SIM_PROJECT.projectId}/global/networks/default`,
        networkIP: `10.128.0.${2 + (Number(s.providerServerId.slice(-2)) % 200)}`,
        accessConfigs: s.ipv4
          ? [{ type: 'ONE_TO_ONE_NAT', name: 'External NAT', natIP: s.ipv4 }]
          : [],
      },
    ],
  }
}

// Page tokens are opaque to clients; ours encode the offset into the zone-ordered instances.
const pageToken = (offset: number) => Buffer.from(`offset:${offset}`).toString('base64url')
const offsetOf = (token: string | null) =>
  Number(/^offset:(\d+)$/.exec(Buffer.from(token ?? '', 'base64url').toString())?.[1] ?? 0)

/**
 * instances.aggregatedList: `maxResults` (default and maximum 500) instances per page across all
 * zones, `nextPageToken` while more remain; every zone is a key of `items`, and a zone with
 * nothing on this page says so with a NO_RESULTS_ON_PAGE warning.
 */
export function aggregatedInstances(query: URLSearchParams, servers: SimServer[]) {
  const maxResults = Math.min(Math.max(Number(query.get('maxResults')) || 500, 1), 500)
  const offset = offsetOf(query.get('pageToken'))
  const zones = [...new Set([...ZONES, ...servers.map((s) => s.region)])]
  const ordered = zones.flatMap((zone) => servers.filter((s) => s.region === zone))
  const page = ordered.slice(offset, offset + maxResults)
  const items: Record<string, unknown> = {}
  for (const zone of zones) {
    const instances = page.filter((s) => s.region === zone).map(toInstance)
    items[`zones/${zone}`] = instances.length
      ? { instances }
      : {
          warning: {
            code: 'NO_RESULTS_ON_PAGE',
            message: `There are no results for scope 'zones/${zone}' on this page.`,
          },
        }
  }
  const more = offset + maxResults < ordered.length
  return json(200, {
    kind: 'compute#instanceAggregatedList',
    id: `projects/${GCP_SIM_PROJECT.projectId}/aggregated/instances`,
    items,
    ...(more ? { nextPageToken: pageToken(offset + maxResults) } : {}),
    selfLink: `https://www.googleapis.com/compute/v1/projects/${GCP_SIM_PROJECT.projectId}/aggregated/instances`,
  })
}

/** Google's JSON error: `{error: {code, message, errors?, status, details?}}`. */
export const googleError = (
  status: number,
  grpc: string,
  message: string,
  extra: { details?: unknown[]; errors?: unknown[]; headers?: Record<string, string> } = {},
) =>
  json(
    status,
    {
      error: {
        code: status,
        message,
        // Compute Engine's legacy list of reasons, beside the gRPC status.
        ...(extra.errors ? { errors: extra.errors } : {}),
        status: grpc,
        ...(extra.details ? { details: extra.details } : {}),
      },
    },
    extra.headers,
  )
