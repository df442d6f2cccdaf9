import { bearerAuth } from '../auth.js'
import {
  chars,
  digits,
  HEX,
  ipv4,
  pastDate,
  pick,
  randomRng,
  seededRng,
  serverName,
  uuid,
} from '../generate.js'
import { json, jsonBody } from '../http.js'
import { paginate } from '../paginate.js'
import type { ProviderSpec, RateInfo, RouteContext } from '../spec.js'
import type { SimServer } from '../types.js'

/**
 * DigitalOcean API v2 (https://docs.digitalocean.com/reference/api/): Bearer `dop_v1_…`, `/v2/account`
 * identifies. `access: { compute: 'read' }` is a read-only token (or an OAuth grant of `read`).
 */

const error = (status: number, id: string, message: string, headers?: Record<string, string>) =>
  json(status, { id, message }, headers)

const rateHeaders = (rate: RateInfo) => ({
  'ratelimit-limit': String(rate.limit),
  'ratelimit-remaining': String(rate.remaining),
  'ratelimit-reset': String(rate.reset),
})

const REGIONS: Record<string, string> = {
  nyc3: 'New York 3',
  ams3: 'Amsterdam 3',
  fra1: 'Frankfurt 1',
  lon1: 'London 1',
  sfo3: 'San Francisco 3',
  sgp1: 'Singapore 1',
}

function toDroplet(s: SimServer) {
  const rng = seededRng(s.providerServerId)
  return {
    id: Number(s.providerServerId),
    name: s.name,
    memory: 1024,
    vcpus: 1,
    disk: 25,
    locked: false,
    status: s.status,
    created_at: pastDate(rng),
    features: ['monitoring'],
    backup_ids: [],
    snapshot_ids: [],
    image: {
      id: 112929454,
      name: '24.04 (LTS) x64',
      distribution: 'Ubuntu',
      slug: 'ubuntu-24-04-x64',
      public: true,
      regions: Object.keys(REGIONS),
      created_at: '2024-04-25T12:00:00Z',
      min_disk_size: 7,
      size_gigabytes: 2.36,
      description: 'Ubuntu 24.04 (LTS) x64',
      tags: [],
      status: 'available',
      type: 'base',
      error_message: '',
    },
    size_slug: 's-1vcpu-1gb',
    size: {
      slug: 's-1vcpu-1gb',
      memory: 1024,
      vcpus: 1,
      disk: 25,
      transfer: 1,
      price_monthly: 6,
      price_hourly: 0.00893,
      regions: Object.keys(REGIONS),
      available: true,
      description: 'Basic',
    },
    // Droplets on DigitalOcean-managed kernels have none to report.
    kernel: null,
    next_backup_window: null,
    volume_ids: [],
    networks: {
      v4: s.ipv4
        ? [{ ip_address: s.ipv4, netmask: '255.255.240.0', gateway: '203.0.113.1', type: 'public' }]
        : [],
      v6: [],
    },
    region: {
      slug: s.region,
      name: REGIONS[s.region] ?? s.region,
      features: ['backups', 'ipv6', 'metadata'],
      available: true,
      sizes: ['s-1vcpu-1gb'],
    },
    tags: [],
    vpc_uuid: uuid(rng),
  }
}

/** DO's `links.pages` only lists the pages that exist around the current one. */
function droplets(ctx: RouteContext) {
  const { searchParams } = ctx.req.url
  const p = paginate(
    ctx.account.servers,
    searchParams,
    { page: 'page', perPage: 'per_page' },
    { default: 20, max: 200 },
  )
  const at = (page: number) => {
    const url = new URL(ctx.req.url)
    url.searchParams.set('page', String(page))
    url.searchParams.set('per_page', String(p.perPage))
    return url.toString()
  }
  const pages: Record<string, string> = {}
  if (p.page > 1) Object.assign(pages, { first: at(1), prev: at(p.page - 1) })
  if (p.page < p.lastPage) Object.assign(pages, { next: at(p.page + 1), last: at(p.lastPage) })
  return json(200, {
    droplets: p.items.map(toDroplet),
    links: Object.keys(pages).length ? { pages } : {},
    meta: { total: p.total },
  })
}

const invalid = (message: string) => error(422, 'unprocessable_entity', message)

/** DO's droplet names: letters, digits, `.` and `-` (a hostname), at most 255 characters. */
const DROPLET_NAME = /^[a-zA-Z0-9]([a-zA-Z0-9.-]{0,253}[a-zA-Z0-9])?$/

/**
 * POST /v2/droplets (godo droplets.go Create, DropletCreateRequest → `{droplet, links}`): 202 with
 * the droplet still `new` and without addresses, and the `create` action in `links.actions`.
 */
function createDroplet({ req, account }: RouteContext) {
  const body = jsonBody(req)
  if (!body) return error(400, 'bad_request', 'Unable to parse request body.')
  const { name, region, size, image } = body
  if (typeof name !== 'string' || !name) return invalid('Name is required.')
  if (!DROPLET_NAME.test(name))
    return invalid('Name Only valid hostname characters are allowed. (a-z, A-Z, 0-9, . and -)')
  if (typeof size !== 'string' || !size) return invalid('Size is required.')
  if (image === undefined || image === '') return invalid('Image is required.')
  const slug = typeof region === 'string' && region ? region : 'nyc3'
  if (!(slug in REGIONS)) return invalid('Region is not available.')
  const rng = randomRng()
  const server = {
    providerServerId: digits(rng, 9),
    name,
    status: 'active',
    region: slug,
    ipv4: ipv4(rng),
  }
  account.servers.push(server)
  const actionId = Number(digits(rng, 10))
  return json(202, {
    droplet: { ...toDroplet({ ...server, ipv4: null }), status: 'new', size_slug: size },
    links: {
      actions: [{ id: actionId, rel: 'create', href: `${req.url.origin}/v2/actions/${actionId}` }],
    },
  })
}

/** DELETE /v2/droplets/{id}: 204 without a body (godo Delete). */
function deleteDroplet({ account, params }: RouteContext) {
  const at = account.servers.findIndex((s) => s.providerServerId === params.id)
  if (at < 0) return error(404, 'not_found', 'The resource you were accessing could not be found.')
  account.servers.splice(at, 1)
  return json(204)
}

export const digitalocean: ProviderSpec = {
  id: 'digitalocean',
  fields: ['token'],
  generateCredential: (rng) => ({ token: `dop_v1_${chars(rng, HEX, 64)}` }),
  authenticate: bearerAuth,
  routes: [
    {
      method: 'GET',
      path: '/v2/account',
      scope: 'account:read',
      handle: ({ account }) =>
        json(200, {
          account: {
            droplet_limit: 25,
            floating_ip_limit: 5,
            reserved_ip_limit: 5,
            volume_limit: 100,
            email: account.identity.email,
            name: account.identity.name,
            uuid: account.identity.id,
            email_verified: true,
            status: 'active',
            status_message: '',
          },
        }),
    },
    { method: 'GET', path: '/v2/droplets', scope: 'droplet:read', handle: droplets },
    {
      method: 'POST',
      path: '/v2/droplets',
      scope: 'droplet:create',
      write: true,
      handle: createDroplet,
    },
    {
      method: 'DELETE',
      path: '/v2/droplets/:id',
      scope: 'droplet:delete',
      write: true,
      handle: deleteDroplet,
    },
  ],
  errors: {
    unauthorized: () => error(401, 'unauthorized', 'Unable to authenticate you.'),
    // The spec's generic 403; what a scoped PAT gets on these calls exactly is UNCONFIRMED.
    forbidden: () => error(403, 'forbidden', 'You do not have permission to perform this action.'),
    notFound: () => error(404, 'not_found', 'The resource you were accessing could not be found.'),
    rateLimited: (rate) =>
      error(429, 'too_many_requests', 'API rate limit exceeded.', {
        ...rateHeaders(rate),
        'retry-after': String(rate.retryAfter),
      }),
    serverError: (status) => error(status, 'server_error', 'Unexpected server-side error'),
  },
  rateLimit: { limit: 5000, windowSeconds: 3600, per: 'credential' },
  headers: (_account, rate) => rateHeaders(rate),
  newServer: (rng, i) => ({
    providerServerId: digits(rng, 9),
    name: serverName(rng, i),
    status: pick(rng, ['active', 'active', 'off']),
    region: pick(rng, Object.keys(REGIONS)),
    ipv4: ipv4(rng),
  }),
  newIdentityId: (rng) => chars(rng, HEX, 40),
  demo: {
    good: { token: `dop_v1_${'600d'.repeat(16)}` },
    revoked: { token: `dop_v1_${'dead'.repeat(16)}` },
    slow: { token: `dop_v1_${'5105'.repeat(16)}` },
  },
}
