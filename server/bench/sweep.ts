/**
 * Recheck sweep benchmark: the accounts spread over the simulated providers, every simulator
 * answering each request after 100 ms, 16 checks in flight per provider.
 *
 *   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres pnpm exec tsx bench/sweep.ts
 *
 * TEST_DATABASE_URL is used when BENCH_DATABASE_URL is unset; a scratch database is created on that
 * server and dropped afterwards. Options: BENCH_ACCOUNTS (10000,50000,100000: the same database grown
 * step by step and swept at each size, so the memory slope shows; about 20 minutes, `10000` alone
 * takes 2), BENCH_LATENCY_MS (100), BENCH_CONCURRENCY (16).
 *
 * Each sweep runs as production runs it, in a fresh process of its own: the bree job file in a
 * worker thread with its own database pool, so that process's peak RSS is the sweep's. The
 * simulators and the seeding live in a child process (lib/sims.ts), like remote providers would.
 */
import { availableParallelism, loadavg } from 'node:os'
import { once } from 'node:events'
import {
  FROM_SOURCE,
  jobData,
  laneStats,
  numberList,
  postgresCpuMs,
  scratchDatabase,
  serverSettings,
  sweepInProcess,
} from './lib/job.js'
import { next, QUOTA_BOUND, seedTo, startSims, tally } from './lib/sims.js'

const STEPS = numberList(process.env.BENCH_ACCOUNTS, [10_000, 50_000, 100_000])
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 100)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16)
const MB = 1024 * 1024

interface Run {
  accounts: number
  ratio: number
  peakRssMb: number
  seconds: number
}

async function main() {
  const db = await scratchDatabase('sweep')
  const sims = startSims(db.url, db.keys, LATENCY_MS)
  const runs: Run[] = []
  try {
    const ready = await next(sims, 'ready')
    const rounds = new Map(ready.rounds)
    console.log(`machine: ${availableParallelism()} CPUs (simulators and PostgreSQL share them)`)
    console.log(`job: ${FROM_SOURCE ? 'src/jobs/recheck.ts (tsx)' : 'dist/jobs/recheck.js'}`)
    const [autovacuum, sharedBuffers] = await serverSettings(db.url, [
      'autovacuum',
      'shared_buffers',
    ])
    console.log(
      `PostgreSQL: autovacuum ${autovacuum}, shared_buffers ${sharedBuffers}; ` +
        `each step ends its seeding with vacuum analyze, as autovacuum would between sweeps`,
    )
    console.log(
      `latency ${LATENCY_MS} ms per request, ${CONCURRENCY} checks in flight per provider`,
    )
    console.log(
      `"ideal" = per provider, accounts × the request round trips a check makes one after the other\n` +
        `(measured with one check alone) × latency ÷ concurrency; the slowest provider's.`,
    )
    for (const accounts of STEPS) {
      const seeded = await seedTo(sims, accounts)
      await tally(sims)
      const perProvider = new Map(seeded.perProvider)
      console.log(`\n=== ${accounts} accounts (seeded in ${seeded.ms} ms) ===`)
      const loadBefore = loadavg()[0] as number
      const since = new Date()
      const pgBefore = await postgresCpuMs()
      const started = performance.now()
      const { counts, maxRss, cpuMs } = await sweepInProcess(
        jobData(db.url, db.keys, ready.origins, CONCURRENCY),
        perProvider.size * CONCURRENCY,
      )
      const wallMs = performance.now() - started
      const { requests, cpuMs: simsCpuMs } = await tally(sims)
      const pgAfter = await postgresCpuMs()
      const pgCpu =
        pgBefore !== undefined && pgAfter !== undefined
          ? `, PostgreSQL's: ${((pgAfter - pgBefore) / 1000).toFixed(1)} s`
          : ''
      const lanes = await laneStats(db.url, since)
      console.log(`sweep: ${JSON.stringify(counts)}`)
      console.log(
        `load average ${loadBefore.toFixed(1)} before, ${(loadavg()[0] as number).toFixed(1)} after`,
      )
      let idealMs = 0
      for (const [id, n] of perProvider) {
        const perCheck = (requests.get(id) ?? 0) / n
        const sequential = rounds.get(id) ?? perCheck
        const ms = (n * sequential * LATENCY_MS) / CONCURRENCY
        idealMs = Math.max(idealMs, ms)
        const lane = lanes.get(id)
        // Slots busy = the checks' own time over the lane's span × concurrency: 100% means the
        // lane always had CONCURRENCY checks in flight, so any loss is in the checks themselves.
        const busy = lane ? (n * lane.avgMs) / CONCURRENCY / lane.spanMs : 0
        console.log(
          `  ${id.padEnd(14)} ${n} × ${sequential} × ${LATENCY_MS} ms ÷ ${CONCURRENCY} = ${(ms / 1000).toFixed(1)} s (${perCheck.toFixed(1)} requests per check)` +
            (lane
              ? `; took ${(lane.spanMs / 1000).toFixed(1)} s, a check ${Math.round(lane.avgMs)} ms, slots busy ${(busy * 100).toFixed(0)}%`
              : ''),
        )
      }
      const run: Run = {
        accounts,
        ratio: idealMs / counts.durationMs,
        peakRssMb: maxRss / MB,
        seconds: counts.durationMs / 1000,
      }
      runs.push(run)
      console.log(
        `ideal ${(idealMs / 1000).toFixed(1)} s, actual ${run.seconds.toFixed(1)} s (${(wallMs / 1000).toFixed(1)} s with process start): ideal ÷ actual ${run.ratio.toFixed(2)}`,
      )
      console.log(`peak RSS of the sweep's process: ${run.peakRssMb.toFixed(0)} MB`)
      // The sweep's own work, whatever else the machine was doing: CPU time per check.
      console.log(
        `CPU of the sweep's process: ${(cpuMs / 1000).toFixed(1)} s, ${(cpuMs / counts.checked).toFixed(2)} ms per check (${((cpuMs / counts.durationMs) * 100).toFixed(0)}% of one core); the simulators': ${(simsCpuMs / 1000).toFixed(1)} s${pgCpu}`,
      )
      if (counts.checked !== accounts)
        console.log(`WARNING: ${counts.checked} of ${accounts} checked`)
    }
  } finally {
    sims.disconnect()
    await once(sims, 'exit')
    await db.drop()
  }

  console.log(`\nproviders: all simulated but ${QUOTA_BOUND.join(', ')} (quota-bound)`)
  console.log('accounts   ideal÷actual   peak RSS   sweep')
  for (const r of runs)
    console.log(
      `${String(r.accounts).padStart(8)}   ${r.ratio.toFixed(2).padStart(12)}   ${r.peakRssMb.toFixed(0).padStart(5)} MB   ${r.seconds.toFixed(1)} s`,
    )
  const first = runs[0]
  const last = runs.at(-1)
  for (let i = 1; i < runs.length; i++) {
    const [a, b] = [runs[i - 1] as Run, runs[i] as Run]
    const step = ((b.peakRssMb - a.peakRssMb) / (b.accounts - a.accounts)) * 10_000
    console.log(`RSS ${a.accounts} → ${b.accounts}: ${step.toFixed(1)} MB per 10,000 accounts`)
  }
  if (first && last && last !== first) {
    const slope = ((last.peakRssMb - first.peakRssMb) / (last.accounts - first.accounts)) * 10_000
    console.log(`RSS slope: ${slope.toFixed(1)} MB per 10,000 accounts`)
  }
  // The ratio target is set at 10,000 accounts and must hold as the accounts grow: every size.
  for (const r of runs)
    console.log(
      `ideal ÷ actual at ${r.accounts}: ${r.ratio.toFixed(2)} (target ≥ 0.9: ${r.ratio >= 0.9 ? 'met' : 'MISSED'})`,
    )
  const peak = Math.max(...runs.map((r) => r.peakRssMb))
  console.log(
    `peak RSS: ${peak.toFixed(0)} MB at up to ${last?.accounts} accounts (target < 300 MB: ${peak < 300 ? 'met' : 'MISSED'})`,
  )
}

await main()
