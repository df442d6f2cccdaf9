/**
 * Recheck sweep benchmark: 10,000 accounts spread over the simulated providers, every simulator
 * answering each request after 100 ms, 16 checks in flight per provider.
 *
 *   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres pnpm exec tsx bench/sweep.ts
 *
 * TEST_DATABASE_URL is used when BENCH_DATABASE_URL is unset; a scratch database is created on that
 * server and dropped afterwards. Options: BENCH_ACCOUNTS (10000), BENCH_LATENCY_MS (100),
 * BENCH_CONCURRENCY (16).
 *
 * This process runs the sweep as production does: the bree job file in a worker thread with its own
 * database pool, so its peak RSS is the sweep's. The simulators (and the seeding: migrations, then
 * the accounts sealed with the vault and inserted with SQL) live in a child process, like remote
 * providers would.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import pg from 'pg'
import type { ProviderId } from '@cloudlink/shared'
import { loadConfig } from '../src/config.js'
import {
  configEnv,
  isRecheckMessage,
  type RecheckWorkerData,
} from '../src/domain/recheck/protocol.js'
import { workerResourceLimits } from '../src/domain/recheck/settings.js'
import type { SweepCounts } from '../src/domain/recheck/sweep.js'

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 10_000)
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 100)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16)

/**
 * Providers whose documented quota, not latency, bounds a sweep: Hetzner Robot (200 requests per
 * hour) and Vultr (30 requests per second per client) are held to it on purpose, so they would
 * measure their quota rather than the sweep.
 */
const QUOTA_BOUND: ProviderId[] = ['hetzner-robot', 'vultr']

type ToParent =
  | {
      type: 'ready'
      origins: Record<string, string>
      perProvider: [ProviderId, number][]
      /** Sequential request round trips in one check (requests may run in parallel within it). */
      rounds: [ProviderId, number][]
    }
  | { type: 'tally'; requests: [ProviderId, number][] }

/** Child process: simulators, migrations and seeding; then counts requests until told to stop. */
async function simulatorsProcess(url: string, keys: string) {
  const { MikroORM } = await import('@mikro-orm/postgresql')
  const { simulatedProviders, startSimulator } = await import('@cloudlink/e2e/simulators')
  const { createOrmConfig } = await import('../src/db/orm-config.js')
  const { migrate } = await import('../src/db/migrate.js')
  const { createVault } = await import('../src/domain/vault/vault.js')
  const { providerModules } = await import('../src/providers/index.js')
  const send = (m: ToParent) => process.send?.(m)

  const orm = await MikroORM.init({
    ...createOrmConfig({ url, singleConnection: false }),
    logger: () => undefined,
  })
  await migrate(orm, { url, lock: false })
  await orm.close()

  const providers = simulatedProviders.filter(
    (id) => !QUOTA_BOUND.includes(id) && (providerModules[id].available?.({ oauth: {} }) ?? true),
  )
  const sims = new Map(
    await Promise.all(providers.map(async (id) => [id, await startSimulator(id)] as const)),
  )
  const vault = createVault({ keys })
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const workspaceId = randomUUID()
  await client.query(`insert into workspaces (id, name, created_at) values ($1, 'bench', now())`, [
    workspaceId,
  ])
  const perProvider = new Map<ProviderId, number>()
  let rows: unknown[][] = []
  const flush = async () => {
    const values = rows.map(
      (_, r) =>
        `(${Array.from({ length: 9 }, (_, c) => `$${r * 9 + c + 1}`).join(', ')}, 'connected', '[]', '[]', now(), now())`,
    )
    await client.query(
      `insert into cloud_accounts (id, workspace_id, provider, label, hint, fingerprint, key_id,
         wrapped_key, ciphertext, status, capabilities, warnings, created_at, updated_at)
       values ${values.join(', ')}`,
      rows.flat(),
    )
    rows = []
  }
  for (let i = 0; i < ACCOUNTS; i++) {
    const provider = providers[i % providers.length] as ProviderId
    const module = providerModules[provider]
    const credentials = module.validate(sims.get(provider)!.issueCredential())
    const id = randomUUID()
    const sealed = vault.seal(credentials, { workspaceId, accountId: id })
    rows.push([
      id,
      workspaceId,
      provider,
      `bench ${i}`,
      module.hint(credentials),
      vault.fingerprint(workspaceId, module.canonical(credentials)),
      sealed.keyId,
      sealed.wrappedKey,
      sealed.ciphertext,
    ])
    perProvider.set(provider, (perProvider.get(provider) ?? 0) + 1)
    if (rows.length === 500) await flush()
  }
  if (rows.length > 0) await flush()
  await client.end()

  // One check per provider on its own, at the simulated latency: its duration ÷ the latency is the
  // number of round trips a check waits for one after the other (Scaleway asks its zones in parallel).
  for (const sim of sims.values()) sim.fault({ kind: 'latency', ms: LATENCY_MS })
  const { createProviderRegistry } = await import('../src/providers/registry.js')
  const { runCheck } = await import('../src/domain/cloud-accounts/run-check.js')
  const registry = createProviderRegistry(
    loadConfig({
      DATABASE_URL: url,
      VAULT_KEYS: keys,
      JWT_SECRET: randomBytes(48).toString('hex'),
    }),
  )
  const rounds = new Map<ProviderId, number>()
  for (const [id, sim] of sims) {
    const module = providerModules[id]
    registry.setOrigin(id, sim.url)
    let best = Infinity
    for (let i = 0; i < 3; i++) {
      const started = performance.now()
      await runCheck(module, registry.context(id), module.validate(sim.issueCredential()))
      best = Math.min(best, performance.now() - started)
    }
    rounds.set(id, Math.round(best / LATENCY_MS))
    sim.clearRequests()
  }

  const requests = new Map<ProviderId, number>()
  const tally = () => {
    for (const [id, sim] of sims) {
      requests.set(id, (requests.get(id) ?? 0) + sim.requests.length)
      sim.clearRequests()
    }
  }
  setInterval(tally, 250).unref()
  process.on('message', (m: unknown) => {
    if (m !== 'tally') return
    tally()
    send({ type: 'tally', requests: [...requests] })
  })
  process.once('disconnect', () => void Promise.all([...sims.values()].map((s) => s.close())))
  send({
    type: 'ready',
    origins: Object.fromEntries([...sims].map(([id, sim]) => [id, sim.url])),
    perProvider: [...perProvider],
    rounds: [...rounds],
  })
}

async function next<T extends ToParent['type']>(child: ChildProcess, type: T) {
  for (;;) {
    const [m] = (await once(child, 'message')) as [ToParent]
    if (m.type === type) return m as Extract<ToParent, { type: T }>
  }
}

/**
 * The job as production runs it: the built file (`pnpm run build` first, as `scripts/cloudlink.sh
 * bench` does). BENCH_SOURCE=src runs the TypeScript source through tsx instead.
 */
const BUILT_JOB = fileURLToPath(new URL('../dist/jobs/recheck.js', import.meta.url))
const FROM_SOURCE = process.env.BENCH_SOURCE === 'src' || !existsSync(BUILT_JOB)

/** Runs the real job file in a worker thread, limited as the jobs plugin limits it. */
function runJob(data: RecheckWorkerData, inFlight: number): Promise<SweepCounts> {
  const resourceLimits = workerResourceLimits(inFlight)
  const worker = FROM_SOURCE
    ? new Worker(fileURLToPath(new URL('../src/jobs/recheck.ts', import.meta.url)), {
        workerData: data,
        resourceLimits,
        execArgv: ['--import', import.meta.resolve('tsx')],
      })
    : new Worker(BUILT_JOB, { workerData: data, resourceLimits, execArgv: [] })
  return new Promise((resolve, reject) => {
    let counts: SweepCounts | undefined
    worker.on('message', (message: unknown) => {
      if (message === 'done') void worker.terminate()
      if (!isRecheckMessage(message)) return
      if (message.type === 'sweep') counts = message.counts
      if (message.type === 'log' && message.level !== 'info')
        console.error(message.msg, message.obj)
    })
    worker.once('error', reject)
    worker.once('exit', () => (counts ? resolve(counts) : reject(new Error('no sweep result'))))
  })
}

/** Per provider, from the check history: the lane's span and the average check's own latency. */
async function laneStats(url: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query<{ provider: ProviderId; avg: number; span: number }>(
      `select a.provider, avg(c.latency_ms)::float as avg,
              extract(epoch from max(c.at) - min(c.at)) * 1000 as span
         from checks c join cloud_accounts a on a.id = c.account_id
        where c.trigger = 'scheduled' group by a.provider`,
    )
    return new Map(rows.map((r) => [r.provider, { avgMs: r.avg, spanMs: Number(r.span) }]))
  } finally {
    await client.end()
  }
}

async function admin(server: string, sql: string) {
  const client = new pg.Client({ connectionString: server })
  await client.connect()
  await client.query(sql).finally(() => client.end())
}

async function main() {
  const server = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL
  if (!server) {
    console.error(
      'bench/sweep: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL server',
    )
    process.exit(64)
  }
  const name = `cloudlink_bench_${randomUUID().replace(/-/g, '')}`
  const url = new URL(server)
  url.pathname = `/${name}`
  const keys = `bench:${randomBytes(32).toString('base64')}`
  await admin(server, `create database ${name}`)
  // The (throwaway) vault key goes through the environment, never argv (visible in `ps`).
  const child = fork(fileURLToPath(import.meta.url), ['--simulators'], {
    env: { ...process.env, BENCH_DB: url.toString(), BENCH_KEYS: keys },
  })
  try {
    const seedStart = performance.now()
    const ready = await next(child, 'ready')
    console.log(`seeded ${ACCOUNTS} accounts in ${Math.round(performance.now() - seedStart)} ms`)

    const config = loadConfig({
      DATABASE_URL: url.toString(),
      VAULT_KEYS: keys,
      JWT_SECRET: randomBytes(48).toString('base64url'),
      RECHECK_CONCURRENCY: String(CONCURRENCY),
    })
    const loadBefore = loadavg()[0] as number
    let sampled = process.memoryUsage.rss()
    const sampler = setInterval(() => (sampled = Math.max(sampled, process.memoryUsage.rss())), 100)
    const started = performance.now()
    const counts = await runJob(
      { env: configEnv(config), origins: ready.origins, delegate: false },
      ready.perProvider.length * CONCURRENCY,
    )
    const wallMs = performance.now() - started
    clearInterval(sampler)
    const peakRss = Math.max(sampled, process.resourceUsage().maxRSS * 1024)
    child.send('tally')
    const requests = new Map((await next(child, 'tally')).requests)
    const lanes = await laneStats(url.toString())

    const providers = ready.perProvider.map(([id]) => id)
    console.log(`\nproviders: ${providers.join(', ')} (not ${QUOTA_BOUND.join(', ')}: quota-bound)`)
    console.log(
      `machine: ${availableParallelism()} CPUs, load average ${loadBefore.toFixed(1)} before and ${(loadavg()[0] as number).toFixed(1)} after the sweep (simulators and PostgreSQL share them)`,
    )
    console.log(`job: ${FROM_SOURCE ? 'src/jobs/recheck.ts (tsx)' : 'dist/jobs/recheck.js'}`)
    console.log(`sweep: ${JSON.stringify(counts)}`)
    console.log(
      `\n"latency" per check = the request round trips a check makes one after the other (verify,\n` +
        `then list; measured with one check alone) × ${LATENCY_MS} ms. A check sends more requests\n` +
        `than that where it asks in parallel (Scaleway's zones).`,
    )
    const rounds = new Map(ready.rounds)
    let idealMs = 0
    for (const [id, n] of ready.perProvider) {
      const perCheck = (requests.get(id) ?? 0) / n
      const sequential = rounds.get(id) ?? perCheck
      const ms = (n * sequential * LATENCY_MS) / CONCURRENCY
      idealMs = Math.max(idealMs, ms)
      const lane = lanes.get(id)
      // Slots busy = the checks' own time over the lane's span × concurrency: 100% means the lane
      // always had CONCURRENCY checks in flight, so any loss is in the checks themselves.
      const busy = lane ? (n * lane.avgMs) / CONCURRENCY / lane.spanMs : 0
      console.log(
        `  ${id.padEnd(14)} ${n} × ${sequential} × ${LATENCY_MS} ms ÷ ${CONCURRENCY} = ${(ms / 1000).toFixed(1)} s (${perCheck.toFixed(1)} requests per check)` +
          (lane
            ? `; took ${(lane.spanMs / 1000).toFixed(1)} s, a check ${Math.round(lane.avgMs)} ms on average, slots busy ${(busy * 100).toFixed(0)}%`
            : ''),
      )
    }
    const ratio = idealMs / counts.durationMs
    const rssMb = peakRss / 1024 / 1024
    console.log(`\nideal (slowest provider): ${(idealMs / 1000).toFixed(1)} s`)
    console.log(
      `actual: ${(counts.durationMs / 1000).toFixed(1)} s sweep (${(wallMs / 1000).toFixed(1)} s with worker start)`,
    )
    console.log(
      `ideal ÷ actual: ${ratio.toFixed(2)} (target ≥ 0.85: ${ratio >= 0.85 ? 'met' : 'MISSED'})`,
    )
    console.log(
      `peak RSS: ${rssMb.toFixed(0)} MB, sweep process (target < 300 MB: ${rssMb < 300 ? 'met' : 'MISSED'})`,
    )
    if (counts.checked !== ACCOUNTS)
      console.log(`WARNING: ${counts.checked} of ${ACCOUNTS} checked`)
  } finally {
    child.disconnect()
    await once(child, 'exit')
    await admin(server, `drop database if exists ${name} with (force)`)
  }
}

if (process.argv[2] === '--simulators')
  await simulatorsProcess(process.env.BENCH_DB as string, process.env.BENCH_KEYS as string)
else await main()
