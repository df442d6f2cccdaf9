/**
 * The benchmarks' stand-in for the providers, in a child process of its own (like remote providers
 * would be): migrations, the simulators, seeding (accounts sealed with the vault and inserted with
 * SQL, in steps, so a benchmark can grow the same database from 10k to 100k accounts) and a request
 * tally. The parent drives it with messages (SimsRequest) and reads its answers (SimsAnswer).
 */
import { fork, type ChildProcess } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import type { ProviderId } from '@cloudlink/shared'
import { loadConfig } from '../../src/config.js'

/**
 * Providers whose documented quota, not latency, bounds a sweep: Hetzner Robot (200 requests per
 * hour) and Vultr (30 requests per second per client) are held to it on purpose, so they would
 * measure their quota rather than the sweep.
 */
export const QUOTA_BOUND: ProviderId[] = ['hetzner-robot', 'vultr']

export type SimsRequest =
  /** Seed up to `total` accounts, then make every account due and unclaimed. */
  { type: 'seed'; total: number } | { type: 'tally' }

export type SimsAnswer =
  | {
      type: 'ready'
      origins: Record<string, string>
      /** Sequential request round trips in one check (requests may run in parallel within it). */
      rounds: [ProviderId, number][]
    }
  | { type: 'seeded'; perProvider: [ProviderId, number][]; ms: number }
  /** Requests answered since the last tally, and the CPU the simulators' process spent on them. */
  | { type: 'tally'; requests: [ProviderId, number][]; cpuMs: number }

async function child(url: string, keys: string, latencyMs: number) {
  const { MikroORM } = await import('@mikro-orm/postgresql')
  const { simulatedProviders, startSimulator } = await import('@cloudlink/e2e/simulators')
  const { createOrmConfig } = await import('../../src/db/orm-config.js')
  const { migrate } = await import('../../src/db/migrate.js')
  const { createVault } = await import('../../src/domain/vault/vault.js')
  const { providerModules } = await import('../../src/providers/index.js')
  const { createProviderRegistry } = await import('../../src/providers/registry.js')
  const { runCheck } = await import('../../src/domain/cloud-accounts/run-check.js')
  const send = (m: SimsAnswer) => process.send?.(m)

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
  let seeded = 0

  async function seed(total: number) {
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
    for (; seeded < total; seeded++) {
      const provider = providers[seeded % providers.length] as ProviderId
      const module = providerModules[provider]
      const credentials = module.validate(sims.get(provider)!.issueCredential())
      const id = randomUUID()
      const sealed = vault.seal(credentials, { workspaceId, accountId: id })
      rows.push([
        id,
        workspaceId,
        provider,
        `bench ${seeded}`,
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
    await client.query(`update cloud_accounts set last_checked_at = null, claimed_until = null`)
    // What autovacuum does between two daily sweeps: clears the dead rows the earlier steps and the
    // update above left, and gives the planner statistics for tables that were empty. A server
    // running with autovacuum off (this development machine's does) would otherwise sweep the
    // 100,000 step through every row version the 10,000 and 50,000 steps left behind.
    await client.query('vacuum analyze')
  }

  // One check per provider on its own, at the simulated latency: its duration ÷ the latency is the
  // number of round trips a check waits for one after the other (Scaleway asks its zones in parallel).
  for (const sim of sims.values()) sim.fault({ kind: 'latency', ms: latencyMs })
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
    rounds.set(id, Math.round(best / latencyMs))
    sim.clearRequests()
  }

  // The simulators keep a request log: count and clear it often, so it never grows with a sweep.
  const requests = new Map<ProviderId, number>()
  const tally = () => {
    for (const [id, sim] of sims) {
      requests.set(id, (requests.get(id) ?? 0) + sim.requests.length)
      sim.clearRequests()
    }
  }
  setInterval(tally, 250).unref()
  let cpuAt = process.cpuUsage()
  process.on('message', (m: SimsRequest) => {
    if (m.type === 'tally') {
      tally()
      const cpu = process.cpuUsage(cpuAt)
      cpuAt = process.cpuUsage()
      send({ type: 'tally', requests: [...requests], cpuMs: (cpu.user + cpu.system) / 1000 })
      requests.clear()
    } else if (m.type === 'seed') {
      const started = performance.now()
      void seed(m.total).then(() =>
        send({
          type: 'seeded',
          perProvider: [...perProvider],
          ms: Math.round(performance.now() - started),
        }),
      )
    }
  })
  process.once('disconnect', () => {
    void client.end()
    void Promise.all([...sims.values()].map((s) => s.close()))
  })
  send({
    type: 'ready',
    origins: Object.fromEntries([...sims].map(([id, sim]) => [id, sim.url])),
    rounds: [...rounds],
  })
}

/** Starts the simulators' process; the (throwaway) vault key goes by environment, never argv. */
export function startSims(url: string, keys: string, latencyMs: number): ChildProcess {
  return fork(fileURLToPath(import.meta.url), ['--simulators'], {
    env: { ...process.env, BENCH_DB: url, BENCH_KEYS: keys, BENCH_LATENCY_MS: String(latencyMs) },
  })
}

export async function next<T extends SimsAnswer['type']>(sims: ChildProcess, type: T) {
  for (;;) {
    const [m] = (await once(sims, 'message')) as [SimsAnswer]
    if (m.type === type) return m as Extract<SimsAnswer, { type: T }>
  }
}

export async function seedTo(sims: ChildProcess, total: number) {
  sims.send({ type: 'seed', total } satisfies SimsRequest)
  return next(sims, 'seeded')
}

export async function tally(sims: ChildProcess) {
  sims.send({ type: 'tally' } satisfies SimsRequest)
  const answer = await next(sims, 'tally')
  return { requests: new Map(answer.requests), cpuMs: answer.cpuMs }
}

if (process.argv[2] === '--simulators')
  await child(
    process.env.BENCH_DB as string,
    process.env.BENCH_KEYS as string,
    Number(process.env.BENCH_LATENCY_MS),
  )
