import { basicAuth } from '../auth.js'
import { ALNUM, chars, digits, ipv4, pick, seededRng, serverName } from '../generate.js'
import { json } from '../http.js'
import type { ProviderSpec } from '../spec.js'
import type { SimServer } from '../types.js'

/** Hetzner Robot webservice (https://robot.hetzner.com/doc/webservice/en.html): HTTP Basic, dedicated servers, 200 req/h. */

const error = (status: number, code: string, message: string, extra: object = {}) =>
  json(status, { error: { status, code, message, ...extra } })

const PRODUCTS = ['AX41-NVMe', 'AX52', 'EX44', 'SX65', 'AX102']

function toServer(s: SimServer) {
  const rng = seededRng(s.providerServerId)
  return {
    server: {
      server_ip: s.ipv4,
      server_ipv6_net: `2a01:4f8:${chars(rng, '0123456789abcdef', 3)}:${digits(rng, 4)}::`,
      server_number: Number(s.providerServerId),
      server_name: s.name,
      product: pick(rng, PRODUCTS),
      dc: s.region,
      traffic: 'unlimited',
      status: s.status,
      cancelled: false,
      paid_until: '2026-12-31',
      ip: s.ipv4 ? [s.ipv4] : [],
      subnet: null,
    },
  }
}

const product = (id: string, price: string) => ({
  product: {
    id,
    name: `Dedicated Server ${id}`,
    description: ['Intel/AMD CPU', '64 GB DDR4 RAM', '2 x 512 GB NVMe SSD'],
    traffic: 'unlimited',
    dist: ['Rescue system', 'Ubuntu 24.04 LTS base'],
    lang: ['en'],
    location: ['FSN1', 'NBG1', 'HEL1'],
    prices: [
      {
        location: 'FSN1',
        price: { net: price, gross: price },
        price_setup: { net: '0.0000', gross: '0.0000' },
      },
    ],
    orderable_addons: [],
  },
})

export const hetznerRobot: ProviderSpec = {
  id: 'hetzner-robot',
  fields: ['username', 'password'],
  // Username format seen in the field (`#ws+` and 8 characters); the official format is UNCONFIRMED.
  generateCredential: (rng) => ({
    username: `#ws+${chars(rng, ALNUM, 8)}`,
    password: chars(rng, ALNUM, 24),
  }),
  authenticate: basicAuth,
  routes: [
    {
      method: 'GET',
      path: '/server',
      handle: ({ account }) =>
        account.servers.length
          ? json(200, account.servers.map(toServer))
          : // An account without servers: 404 per the docs' error list for this call (UNCONFIRMED).
            error(404, 'SERVER_NOT_FOUND', 'No server found'),
    },
    {
      // One server, with the flags only this call carries (docs "GET /server/{server-number}";
      // syself/hrobot-go client ServerGet and models/server.go).
      method: 'GET',
      path: '/server/:serverNumber',
      handle: ({ account, params }) => {
        const s = account.servers.find((x) => x.providerServerId === params.serverNumber)
        if (!s) return error(404, 'SERVER_NOT_FOUND', 'Server not found')
        const { server } = toServer(s)
        return json(200, {
          server: {
            ...server,
            reset: true,
            rescue: true,
            vnc: true,
            windows: false,
            plesk: false,
            cpanel: false,
            wol: true,
            hot_swap: false,
            linked_storagebox: null,
          },
        })
      },
    },
    {
      // The nearest harmless write: Robot orders and cancels servers but cannot create one, so a
      // rename (docs "POST /server/{server-number}"; hrobot-go ServerSetName, a form body).
      method: 'POST',
      path: '/server/:serverNumber',
      write: true,
      handle: ({ req, account, params }) => {
        const s = account.servers.find((x) => x.providerServerId === params.serverNumber)
        if (!s) return error(404, 'SERVER_NOT_FOUND', 'Server not found')
        const form = new URLSearchParams(req.body)
        const name = form.get('server_name')
        if (name === null)
          return error(400, 'INVALID_INPUT', 'invalid input', {
            missing: ['server_name'],
            invalid: null,
          })
        // UNCONFIRMED limit; the docs give the field as a string.
        if (name.length > 100)
          return error(400, 'INVALID_INPUT', 'invalid input', {
            missing: null,
            invalid: ['server_name'],
          })
        s.name = name
        return json(200, toServer(s))
      },
    },
    {
      method: 'GET',
      path: '/order/server/product',
      handle: ({ account }) =>
        account.orderingDisabled
          ? // The code for a user without ordering rights is UNCONFIRMED; this body is our guess.
            error(403, 'FORBIDDEN', 'webservice ordering disabled')
          : json(200, [product('AX41-NVMe', '44.0000'), product('EX44', '46.4100')]),
    },
  ],
  errors: {
    // The 401 body is UNCONFIRMED (docs give only the status); shaped like every other Robot error.
    unauthorized: () => error(401, 'UNAUTHORIZED', 'Unauthorized'),
    forbidden: () => error(403, 'FORBIDDEN', 'Forbidden'),
    notFound: () => error(404, 'NOT_FOUND', 'Not Found'),
    // Robot's rate limit is a 403, never a 429, and carries no Retry-After.
    rateLimited: () =>
      error(403, 'RATE_LIMIT_EXCEEDED', 'rate limit exceeded', {
        max_request: 200,
        interval: 3600,
      }),
    serverError: (status) =>
      status === 503
        ? error(503, 'MAINTENANCE', 'Robot is currently in maintenance')
        : error(status, 'INTERNAL_ERROR', 'Internal error'),
  },
  rateLimit: { limit: 200, windowSeconds: 3600, per: 'credential' },
  // Docs: the client's IP is blocked for 10 minutes after 3 failed logins, valid ones included.
  // Field reports show 403 while blocked; the code is UNCONFIRMED, so it must differ from both
  // UNAUTHORIZED and RATE_LIMIT_EXCEEDED for the app to tell them apart.
  lockout: {
    attempts: 3,
    seconds: 600,
    blocked: () => error(403, 'BLOCKED', 'IP blocked after 3 failed login attempts'),
  },
  newServer: (rng, i) => ({
    providerServerId: digits(rng, 7),
    name: serverName(rng, i),
    status: pick(rng, ['ready', 'ready', 'in process']),
    region: pick(rng, ['FSN1-DC14', 'NBG1-DC3', 'HEL1-DC2']),
    ipv4: ipv4(rng),
  }),
  newIdentityId: (rng) => `K${digits(rng, 10)}`,
  demo: {
    good: { username: '#ws+DemoGood', password: 'cloudlink-demo-good' },
    revoked: { username: '#ws+DemoDead', password: 'cloudlink-demo-revoked' },
    slow: { username: '#ws+DemoSlow', password: 'cloudlink-demo-slow' },
  },
}
