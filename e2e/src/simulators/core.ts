import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CONTROL_PREFIX, handleControl } from './control.js'
import { createFaultSwitch } from './faults.js'
import { json, matchPath, send, toSimRequest } from './http.js'
import { createClock, createLockout, createRateWindows } from './limits.js'
import type { AuthResult, ProviderSpec, SimRequest, SimResponse } from './spec.js'
import { createCredentialStore } from './store.js'
import type { Fault, RequestLogEntry, Simulator } from './types.js'

const READ_ONLY = { compute: 'read', dns: 'read', storage: 'read' } as const

/** A body no JSON parser accepts: a response cut off mid-way, the way a dropped proxy leaves it. */
const MALFORMED_BODY = '{"servers":[{"id":1,"name":"web-1","status":'

/** Starts one loopback HTTP server that speaks `spec`'s API. */
export async function startProviderSimulator(
  spec: ProviderSpec,
  opts: { port?: number } = {},
): Promise<Simulator> {
  const store = createCredentialStore(spec)
  const clock = createClock()
  const faults = createFaultSwitch()
  const windows = createRateWindows(spec.rateLimit, clock)
  const lockout = spec.lockout
    ? { ...createLockout(spec.lockout, clock), blocked: spec.lockout.blocked }
    : null
  const requests: RequestLogEntry[] = []
  const timers = new Set<NodeJS.Timeout>()
  let origin = 'http://127.0.0.1'

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer)
        resolve()
      }, ms)
      timers.add(timer)
    })

  /** The provider's own answer to an unfaulted request. */
  function answer(req: SimRequest, auth: AuthResult): SimResponse {
    if (lockout?.isBlocked(req.clientIp)) return lockout.blocked(req)
    const account = auth.account
    if (!account || account.revoked) {
      lockout?.fail(req.clientIp)
      return auth.reject ?? spec.errors.unauthorized(req)
    }
    lockout?.succeed(req.clientIp)
    const rateKey =
      spec.rateLimit.per === 'client' ? req.clientIp : store.keyOf(account.credentials)
    const rate = windows.hit(rateKey)
    const extra = spec.headers?.(account, rate) ?? {}
    const withExtra = (res: SimResponse) => ({ ...res, headers: { ...extra, ...res.headers } })
    if (rate.exceeded) return withExtra(spec.errors.rateLimited(rate))
    for (const route of spec.routes) {
      const params = route.method === req.method ? matchPath(route.path, req.url.pathname) : null
      if (!params) continue
      if (route.scope && account.scopes === 'insufficient') {
        return withExtra(spec.errors.forbidden(req, route))
      }
      return withExtra(route.handle({ req, account, params, now: clock.now() }))
    }
    return withExtra(spec.errors.notFound(req))
  }

  /** null: the fault means no answer at all; continue: answer normally (after a delay). */
  async function applyFault(
    fault: Fault,
    res: ServerResponse,
  ): Promise<SimResponse | 'continue' | null> {
    switch (fault.kind) {
      case 'latency':
        await sleep(fault.ms)
        return 'continue'
      case 'hang':
        return null
      case 'reset':
        res.socket?.destroy()
        return null
      case 'status':
        return spec.errors.serverError(fault.status)
      case 'rate-limit': {
        const reset = Math.ceil(clock.now() / 1000) + fault.retryAfter
        const limit = spec.rateLimit.limit
        return spec.errors.rateLimited({ limit, remaining: 0, reset, retryAfter: fault.retryAfter })
      }
      case 'malformed':
        return json(200, MALFORMED_BODY, { 'content-type': 'application/json' })
    }
  }

  async function handle(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrived = performance.now()
    const req = await toSimRequest(raw, origin)
    if (req.url.pathname.startsWith(CONTROL_PREFIX) || req.url.pathname === '/__sim') {
      return send(res, handleControl(req, sim, spec.demo))
    }
    const auth = spec.authenticate(req, store.find, clock.now())
    const entry: RequestLogEntry = {
      at: new Date().toISOString(),
      method: req.method,
      path: req.url.pathname + req.url.search,
      headers: req.headers,
      body: req.body,
      credential: auth.credential,
    }
    requests.push(entry)
    res.once('finish', () => (entry.durationMs = performance.now() - arrived))
    const fault = faults.take()
    if (fault) {
      const outcome = await applyFault(fault, res)
      if (outcome === null) return
      if (outcome !== 'continue') return send(res, outcome)
    }
    const response = answer(req, auth)
    if (auth.account?.latencyMs) await sleep(auth.account.latencyMs)
    send(res, response)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      send(res, json(500, { error: `simulator bug: ${String(err)}` }))
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
  })
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const sim: Simulator = {
    id: spec.id,
    url: origin,
    issueCredential: (o) => store.issue(o),
    registerCredential: (c, o) => void store.register(c, o),
    revoke: (c) => void (store.get(c).revoked = true),
    restore: (c) => void (store.get(c).revoked = false),
    setServers: (c, servers) => store.setServers(c, servers),
    fault: (f, o) => faults.set(f, o?.times),
    requests,
    clearRequests: () => void requests.splice(0),
    advanceClock: (seconds) => clock.advance(seconds),
    clearLimits() {
      windows.clear()
      lockout?.clear()
    },
    async close() {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      // Hung and keep-alive connections would otherwise hold close() open forever.
      server.closeAllConnections()
      await closed
    },
  }

  const { good, revoked, slow, readOnly } = spec.demo
  store.registerSeeded(good)
  store.registerSeeded(revoked).revoked = true
  store.registerSeeded(slow, { latencyMs: 3000 })
  if (readOnly) store.registerSeeded(readOnly, { access: READ_ONLY })
  return sim
}
