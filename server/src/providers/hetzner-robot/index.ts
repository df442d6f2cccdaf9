import type { Capability, ServerInfo } from '@cloudlink/shared'
import { expectJson, unreachable, UnreachableError, type ProviderResponse } from '../core/http.js'
import { maskIdentifier } from '../core/hint.js'
import { rejected, unexpected } from '../core/outcome.js'
import type { ProviderContext } from '../core/types.js'
import { defineProvider } from '../core/define.js'
import { authorization, broker, type Creds } from './broker.js'
import { access, probeEach } from '../core/probe.js'

const NAME = 'Hetzner Robot'

/** Robot's lockout: the reason every rejection repeats, so nobody retries by hand either. */
const LOCKOUT = "Robot blocks this server's IP for 10 minutes after 3 failed attempts"
const BLOCK_SECONDS = 600

interface RobotError {
  error?: { code?: string; message?: string; max_request?: number; interval?: number }
}
interface RobotServer {
  server: {
    server_number: number
    server_name?: string
    server_ip?: string | null
    dc?: string
    status?: string
  }
}

const errorOf = (res: ProviderResponse) => (res.json as RobotError | undefined)?.error

/**
 * Robot answers 403 for three different things: its rate limit, an IP blocked after failed logins,
 * and (presumably) a refused action. None of them says the credential is wrong, so none is
 * `rejected`; the first two mean "come back later".
 */
function failure(res: ProviderResponse) {
  const err = errorOf(res)
  if (res.status === 401)
    return rejected(
      `${NAME} rejected the web-service username or password (${err?.message ?? 'unauthorized'}). Cloudlink does not retry a rejected login: ${LOCKOUT}`,
      res,
      err?.code,
    )
  if (res.status === 403 && err?.code === 'RATE_LIMIT_EXCEEDED')
    return new UnreachableError(
      unreachable(
        'rate_limited',
        `${NAME} is rate limiting this web-service user${err.max_request && err.interval ? ` (${err.max_request} requests per ${err.interval} s)` : ''}`,
        err.interval,
      ),
    )
  if (res.status === 403)
    return new UnreachableError(
      unreachable(
        'rate_limited',
        `${NAME} is refusing requests from this server's IP (${err?.code ?? 'forbidden'}); ${LOCKOUT}, so the credential itself may be fine: try again later`,
        BLOCK_SECONDS,
      ),
    )
  return unexpected(NAME, res)
}

/** GET /server, the only cheap call, so it is the verify too. */
async function robotServers(ctx: ProviderContext, c: Creds): Promise<RobotServer[]> {
  const res = await ctx.http.request('api', '/server', {
    headers: { authorization: authorization(c) },
  })
  // An account without dedicated servers gets 404 SERVER_NOT_FOUND: the login itself worked.
  if (res.status === 404 && errorOf(res)?.code === 'SERVER_NOT_FOUND') return []
  if (res.status !== 200) throw failure(res)
  const body = expectJson<RobotServer[]>(NAME, res)
  if (!Array.isArray(body)) throw unexpected(NAME, res)
  return body
}

/**
 * Whether the web-service user may order servers, read from the product list (a GET, no side
 * effects; Robot webservice docs, "Ordering"): 200 = may order, a 403 other than the rate limit =
 * ordering disabled for this user. Robot has no finer permissions for a web-service user, so
 * listing (proven by the verify) and ordering are all there is. Anything else is no answer.
 */
async function probeOrdering(ctx: ProviderContext, c: Creds, capabilities: readonly Capability[]) {
  return probeEach(capabilities, {
    compute: async () => {
      const res = await ctx.http.request('api', '/order/server/product', {
        headers: { authorization: authorization(c) },
      })
      const err = errorOf(res)
      if (res.status === 200) return access('write', 'GET /order/server/product → 200')
      if (res.status !== 403 || err?.code === 'RATE_LIMIT_EXCEEDED') throw unexpected(NAME, res)
      return access(
        'read',
        `GET /order/server/product → 403 ${err?.code ?? ''} (${err?.message ?? 'forbidden'})`,
        ['Ordering enabled for the web-service user (Settings → Web service and app settings)'],
      )
    },
  })
}

export const hetznerRobot = defineProvider<Creds>({
  descriptor: {
    id: 'hetzner-robot',
    name: NAME,
    authType: 'basic',
    fields: [
      {
        name: 'username',
        label: 'Web-service username',
        secret: false,
        required: true,
        // Basic auth cannot carry a ':' in the username. The `#ws+` form is seen in the field only.
        pattern: '^[^\\s:]+$',
        placeholder: '#ws+XXXXXXXX',
        help: 'Robot → Settings → Web service and app settings; this is not your Robot login',
      },
      {
        name: 'password',
        label: 'Web-service password',
        secret: true,
        required: true,
        help: 'Set when the web-service user is created; mistyping it 3 times blocks this server for 10 minutes',
      },
    ],
    consoleUrl: 'https://robot.hetzner.com/preferences/index',
    permissions: [
      'A web-service user (Robot has no finer permissions for it)',
      'Ordering enabled for that user, to order servers',
    ],
    capabilities: ['compute'],
    notes:
      'Robot blocks an IP for 10 minutes after 3 failed logins, so Cloudlink never retries a rejected login. No Robot endpoint names the account: label it.',
  },
  origins: { api: 'https://robot-ws.your-server.de' },
  broker,
  limits: {
    // Robot blocks the caller's IP for 10 minutes after 3 failed logins (valid credentials
    // included), so its accounts are checked one at a time.
    maxConcurrency: 1,
    // 200 requests per hour; conservative when Robot counts per web-service user (each account
    // needs 1–2 requests a day).
    budget: { requests: 200, perMs: 60 * 60 * 1000 },
    lockout: true,
  },
  verify: async (ctx, c) => {
    await robotServers(ctx, c)
    // Whether it may order is the probe's to say (access.compute), warned on from there.
    return { outcome: 'verified' as const, identity: null, warnings: [] }
  },
  listServers: async (ctx, c) => {
    const servers: ServerInfo[] = (await robotServers(ctx, c)).map(({ server: s }) => ({
      providerServerId: String(s.server_number),
      name: s.server_name || `#${s.server_number}`,
      status: s.status ?? 'unknown',
      region: s.dc ?? null,
      ipv4: s.server_ip ?? null,
    }))
    return { outcome: 'listed' as const, servers }
  },
  probe: probeOrdering,
  hint: (c) => maskIdentifier(c.username),
  canonical: (c) => `${c.username}:${c.password}`,
})

export default hetznerRobot
