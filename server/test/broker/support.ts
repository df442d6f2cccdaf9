import { createServer as createNetServer, type AddressInfo } from 'node:net'
import type { Readable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import type { ProviderId } from '@cloudlink/shared'
import {
  createBroker,
  type Broker,
  type BrokerInput,
} from '../../src/domain/broker/broker-service.js'
import { ApiError } from '../../src/errors.js'
import { build } from '../helper.js'
import { team, type Team } from '../support/fixtures.js'
import { nextIp } from '../support/http.js'
export { origin } from '../support/origin.js'
import { simulators } from '../support/sims.js'

type Test = { teardown(fn: () => unknown): void }

/** The app on a real database with simulators for `ids`, a team, and a broker built like the route's. */
export async function brokerApp(
  t: Test,
  ids: ProviderId[],
  opts: { config?: Record<string, string>; timeoutMs?: number } = {},
) {
  const sims = await simulators(t, ids)
  const { app } = await build(t, { config: { ...sims.config, ...opts.config } })
  const broker = newBroker(app, opts.timeoutMs)
  return { app, sims, sim: sims.sim, broker, team: await team(app) }
}

export const newBroker = (app: FastifyInstance, timeoutMs = 5_000): Broker =>
  createBroker({
    em: app.orm.em,
    vault: app.vault,
    providers: app.providers,
    timeoutMs,
    log: app.log,
  })

/** Connects an account through the API as the team's owner; returns its id. */
export async function connect(
  app: FastifyInstance,
  team: Team,
  provider: ProviderId,
  credentials: Record<string, string>,
): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/workspaces/${team.workspaceId}/cloud-accounts`,
    headers: team.owner.headers,
    remoteAddress: nextIp(),
    payload: { provider, label: `${provider} account`, credentials },
  })
  if (res.statusCode !== 201) throw new Error(`connect ${provider}: ${res.statusCode} ${res.body}`)
  return (res.json() as { id: string }).id
}

export interface Call {
  method?: string
  path?: string
  query?: string
  headers?: Record<string, string>
  body?: Readable | null
  signal?: AbortSignal
  token?: { id: string; name: string } | null
}

export interface Answer {
  status: number
  headers: Record<string, string | string[]>
  text: string
  /** Our own refusal, when the broker threw instead of answering. */
  error?: ApiError
}

/** One broker call, its answer read whole (or the ApiError it was refused with). */
export async function call(
  app: FastifyInstance,
  broker: Broker,
  target: { workspaceId: string; accountId: string },
  c: Call = {},
): Promise<Answer> {
  const input: BrokerInput = {
    em: app.orm.em.fork(),
    ...target,
    token: c.token ?? null,
    method: c.method ?? 'GET',
    path: c.path ?? '/',
    query: c.query ?? '',
    headers: c.headers ?? {},
    body: c.body ?? null,
    signal: c.signal ?? new AbortController().signal,
  }
  try {
    const answer = await broker.forward(input)
    const chunks: Buffer[] = []
    for await (const chunk of answer.body) chunks.push(chunk as Buffer)
    return {
      status: answer.status,
      headers: answer.headers,
      text: Buffer.concat(chunks).toString('utf8'),
    }
  } catch (err: unknown) {
    if (!(err instanceof ApiError)) throw err
    return { status: err.statusCode, headers: {}, text: err.message, error: err }
  }
}

/** A TCP listener on loopback that must never be contacted: `connections` counts who did. */
export async function trap(t: Test) {
  const seen: string[] = []
  const server = createNetServer((socket) => {
    seen.push(socket.remoteAddress ?? '?')
    socket.destroy()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const { port } = server.address() as AddressInfo
  return { port, host: `127.0.0.1:${port}`, connections: seen }
}
