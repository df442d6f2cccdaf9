import t from 'tap'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { createTestDatabase } from '../helper.js'
import { createVault } from '../../src/domain/vault/vault.js'
import { connect, newKey, readable, rotate, seedAccounts } from './fixtures/support.js'

const realPostgres = Boolean(process.env.TEST_DATABASE_URL)
const serverDir = fileURLToPath(new URL('../..', import.meta.url))

/** Runs the real CLI in a child process. */
function cli(
  env: Record<string, string>,
  args: string[] = [],
  onLine?: (line: string, kill: () => void) => void,
) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/rotate-keys.ts', ...args], {
    cwd: serverDir,
    env: {
      PATH: process.env.PATH ?? '',
      JWT_SECRET: randomBytes(48).toString('base64url'),
      ...env,
    },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
    for (const line of chunk.toString().split('\n')) onLine?.(line, () => child.kill('SIGKILL'))
  })
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  )
}

// Real databases and CLI child processes: more than the default 120 s per file on a busy machine.
t.setTimeout(300_000)

t.test('an interrupted rotation resumes where it stopped', async (t) => {
  const { env } = await createTestDatabase(t)
  let db = await connect(env)
  t.teardown(() => db.close())
  const [k1, k2] = [newKey(), newKey()]
  const keys = `k2:${k2},k1:${k1}`
  const accounts = await seedAccounts(db.orm, createVault({ keys: `k1:${k1}` }), 300)
  const vault = createVault({ keys })

  const first = await rotate({ em: db.orm.em.fork(), vault, maxBatches: 1 })
  t.match(first, { rewrapped: 100, alreadyCurrent: 0, remaining: 200 })

  const stop = new AbortController()
  const second = await rotate({
    em: db.orm.em.fork(),
    vault,
    batchSize: 50,
    signal: stop.signal,
    log: (line) => line.startsWith('batch ') && stop.abort(),
  })
  t.match(second, { rewrapped: 50, alreadyCurrent: 100, remaining: 150 })
  t.same(second.keysInUse, { k1: 150, k2: 150 })
  await db.close()

  const target = realPostgres ? { DATABASE_URL: env.DATABASE_URL as string } : env
  if (realPostgres) {
    // A crash: the process dies mid-run, between or inside batch transactions.
    const killed = await cli(
      { ...target, VAULT_KEYS: keys },
      ['--batch-size', '1'],
      (line, kill) => {
        if (line.startsWith('batch 3:')) kill()
      },
    )
    t.equal(killed.code, null, 'killed')
    const check = new pg.Client({ connectionString: env.DATABASE_URL })
    await check.connect()
    const { rows } = await check.query(
      "select count(*)::int as n from cloud_accounts where key_id = 'k2'",
    )
    await check.end()
    const done = (rows[0] as { n: number }).n
    t.ok(done > 150 && done < 300, `the crash left the run half done (${done} of 300 on k2)`)
  }

  const resumed = await cli({ ...target, VAULT_KEYS: keys })
  t.equal(resumed.code, 0, resumed.stderr)
  const counts = /rewrapped (\d+), already current (\d+), failed 0/.exec(resumed.stdout)
  t.ok(counts, resumed.stdout)
  t.equal(Number(counts?.[1]) + Number(counts?.[2]), 300, 'every account counted once')
  t.match(resumed.stdout, /accounts per key: k2 \(300\)/)
  t.match(resumed.stdout, /no account uses k1: safe to remove/)

  db = await connect(env)
  t.equal(await readable(db, createVault({ keys: `k2:${k2}` }), accounts), 300)
})

t.test(
  'rows in use by live requests are skipped, then rotated',
  { skip: !realPostgres && 'needs TEST_DATABASE_URL' },
  async (t) => {
    const { env } = await createTestDatabase(t)
    const db = await connect(env)
    t.teardown(() => db.close())
    const [k1, k2] = [newKey(), newKey()]
    const accounts = await seedAccounts(db.orm, createVault({ keys: `k1:${k1}` }), 250)

    const request = new pg.Client({ connectionString: env.DATABASE_URL })
    await request.connect()
    t.teardown(() => request.end())
    await request.query('begin')
    const held = accounts.slice(0, 5).map((a) => a.id)
    await request.query('select id from cloud_accounts where id = any($1::uuid[]) for update', [
      held,
    ])

    let releasedAt = 0
    let firstBatchAt = 0
    const release = setTimeout(() => {
      releasedAt = Date.now()
      void request.query('commit')
    }, 500)
    const result = await rotate({
      em: db.orm.em.fork(),
      vault: createVault({ keys: `k2:${k2},k1:${k1}` }),
      busyDelayMs: 100,
      log: (line) => (firstBatchAt ||= line.startsWith('batch 1:') ? Date.now() : 0),
    })
    clearTimeout(release)
    t.ok(firstBatchAt > 0 && firstBatchAt < releasedAt, 'did not wait for the held rows')
    t.match(result, { rewrapped: 250, failed: 0, remaining: 0 })
    t.equal(await readable(db, createVault({ keys: `k2:${k2}` }), accounts), 250)
  },
)
