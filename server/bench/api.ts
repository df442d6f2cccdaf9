/**
 * Issue 3 benchmarks, each a ratio measured in one run:
 * - connect latency beyond the simulator's own time (target p50 < 15 ms);
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

  // Connect overhead: wall time of POST minus the time the simulator itself spent answering (its
  // injected latency plus its own work, as its request log measures it). The server is warmed up
  // first: a benchmark of a cold JIT measures V8, not the code. Each connect comes from its own
  // address so the per-IP connect rate limit (60 a minute) stays out of the measurement.
  const LATENCY = 20
  sim.fault({ kind: 'latency', ms: LATENCY })
  const WARM_UP = 60
  const MEASURED = 100
  const overheads: number[] = []
  for (let i = 0; i < WARM_UP + MEASURED; i++) {
    const credentials = sim.issueCredential()
    sim.clearRequests()
    const started = performance.now()
    const res = await app.inject({
      method: 'POST',
      url,
      headers: owner.headers,
      remoteAddress: `10.0.${i >> 8}.${i & 255}`,
      payload: { provider: 'digitalocean', label: `a${i}`, credentials },
    })
    const wall = performance.now() - started
    if (res.statusCode !== 201) throw new Error(`connect failed: ${res.body}`)
    const simulatorMs = sim.requests.reduce((sum, r) => sum + (r.durationMs ?? 0), 0)
    if (i >= WARM_UP) overheads.push(wall - simulatorMs)
  }
  sim.fault(null)
  const p50 = percentile(overheads, 0.5)
  console.log(
    `connect overhead beyond the simulator's own time (${LATENCY} ms latency per call, ${MEASURED} connects after ${WARM_UP} warm-up): p50 ${p50.toFixed(1)} ms, p95 ${percentile(overheads, 0.95).toFixed(1)} ms (target p50 < 15 ms)`,
  )

  // The list benchmark reads 50 accounts; remove the extra ones connected above.
  const extra = (await app.inject({ url, headers: owner.headers })).json().items.slice(50) as {
    id: string
  }[]
  for (const [i, account] of extra.entries()) {
    const res = await app.inject({
      method: 'DELETE',
      url: `${url}/${account.id}`,
      headers: owner.headers,
      remoteAddress: `10.1.${i >> 8}.${i & 255}`,
    })
    if (res.statusCode !== 204) throw new Error(`remove failed: ${res.body}`)
  }

  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as { port: number }).port
  const body = (await app.inject({ url, headers: owner.headers })).body
  const count = JSON.parse(body).items.length
  const bare = Fastify()
  // The same bytes, encoded once, as the API's cached list is.
  const bareBody = Buffer.from(body)
  bare.get('/bare', async (_req, reply) => reply.type('application/json').send(bareBody))
  await bare.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => bare.close())
  const barePort = (bare.server.address() as { port: number }).port

  // This machine shares its CPUs with neighbours, so one long run of each would mostly measure
  // whoever else was busy at the time. Short runs alternate instead, and the median ratio of the
  // pairs is reported: drift hits both sides of a pair alike.
  const run = (target: string, headers: Record<string, string> = {}) =>
    autocannon({ url: target, connections: 10, duration: 2, headers })
  const bareUrl = `http://127.0.0.1:${barePort}/bare`
  const realUrl = `http://127.0.0.1:${port}${url}`
  await run(bareUrl) // warm-up, both sides
  await run(realUrl, owner.headers)
  const pairs: { bare: number; real: number; ratio: number }[] = []
  for (let round = 0; round < 9; round++) {
    const baseline = await run(bareUrl)
    const real = await run(realUrl, owner.headers)
    if (real.non2xx > 0) throw new Error(`${real.non2xx} non-2xx answers from the API`)
    pairs.push({
      bare: baseline.requests.average,
      real: real.requests.average,
      ratio: real.requests.average / baseline.requests.average,
    })
  }
  const median = [...pairs].sort((a, b) => a.ratio - b.ratio)[Math.floor(pairs.length / 2)]!
  console.log(
    `GET cloud-accounts (${count} accounts, ${body.length} bytes): median of ${pairs.length} alternating 2 s pairs: ${median.real.toFixed(0)} req/s vs bare Fastify ${median.bare.toFixed(0)} req/s → ratio ${median.ratio.toFixed(2)} (target ≥ 0.5); all pairs ${pairs.map((p) => `${p.real.toFixed(0)}/${p.bare.toFixed(0)}`).join(' ')}`,
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
