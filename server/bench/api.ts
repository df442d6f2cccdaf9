/**
 * Issue 3 benchmarks, each a ratio measured in one run:
 * - connect latency beyond the simulator's own latency (target p50 < 15 ms);
 * - GET cloud-accounts (50 accounts, authenticated, real PostgreSQL) requests/s ÷ a bare Fastify
 *   route returning the same JSON, both driven by autocannon (target ≥ 0.5).
 * Needs TEST_DATABASE_URL (a PostgreSQL server); falls back to embedded PGlite otherwise.
 */
import Fastify from 'fastify'
import autocannon from 'autocannon'
import { startSimulator } from '@cloudlink/e2e/simulators'
import { build } from '../test/helper.js'
import { team } from '../test/support/fixtures.js'

const teardowns: (() => unknown)[] = []
const t = { teardown: (fn: () => unknown) => void teardowns.push(fn) }

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)] ?? 0

async function main() {
  const sim = await startSimulator('digitalocean')
  t.teardown(() => sim.close())
  const { app } = await build(t, {
    config: { PROVIDER_URL_DIGITALOCEAN: sim.url, LOG_LEVEL: 'silent' },
  })
  const { workspaceId, owner } = await team(app)
  const url = `/api/v1/workspaces/${workspaceId}/cloud-accounts`

  // Connect overhead: wall time of POST minus the time the simulator itself took (its fixed latency).
  const LATENCY = 20
  sim.fault({ kind: 'latency', ms: LATENCY })
  const overheads: number[] = []
  for (let i = 0; i < 50; i++) {
    const credentials = sim.issueCredential()
    const started = performance.now()
    const res = await app.inject({
      method: 'POST',
      url,
      headers: owner.headers,
      payload: { provider: 'digitalocean', label: `a${i}`, credentials },
    })
    const wall = performance.now() - started
    if (res.statusCode !== 201) throw new Error(`connect failed: ${res.body}`)
    // verify + list = two provider round trips of LATENCY each.
    if (i >= 10) overheads.push(wall - 2 * LATENCY)
  }
  sim.fault(null)
  const p50 = percentile(overheads, 0.5)
  console.log(
    `connect overhead beyond simulator latency: p50 ${p50.toFixed(1)} ms, p95 ${percentile(overheads, 0.95).toFixed(1)} ms (target p50 < 15 ms)`,
  )

  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as { port: number }).port
  const body = (await app.inject({ url, headers: owner.headers })).body
  const count = JSON.parse(body).items.length
  const bare = Fastify()
  bare.get('/bare', async (_req, reply) => reply.type('application/json').send(body))
  await bare.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => bare.close())
  const barePort = (bare.server.address() as { port: number }).port

  const run = (target: string, headers: Record<string, string> = {}) =>
    autocannon({ url: target, connections: 10, duration: 5, headers })
  await run(`http://127.0.0.1:${barePort}/bare`) // warm-up
  const baseline = await run(`http://127.0.0.1:${barePort}/bare`)
  const real = await run(`http://127.0.0.1:${port}${url}`, owner.headers)
  if (real.non2xx > 0) throw new Error(`${real.non2xx} non-2xx answers from the API`)
  const ratio = real.requests.average / baseline.requests.average
  console.log(
    `GET cloud-accounts (${count} accounts): ${real.requests.average.toFixed(0)} req/s vs bare Fastify ${baseline.requests.average.toFixed(0)} req/s → ratio ${ratio.toFixed(2)} (target ≥ 0.5)`,
  )
}

main()
  .catch((err: unknown) => {
    console.error(err)
    process.exitCode = 1
  })
  .finally(async () => {
    for (const fn of teardowns.reverse()) await fn()
  })
