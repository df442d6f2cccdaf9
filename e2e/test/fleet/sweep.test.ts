import t from 'tap'
import { api, setUp, startFleet, within } from './fleet.js'

/**
 * The recheck sweep on three instances, one of them killed (SIGKILL) midway and started again:
 * every due account gets exactly one scheduled check. A killed instance's claims come free when
 * their lease ends (RECHECK_LEASE_MS), and SKIP LOCKED keeps the others from checking twice.
 */
t.test('every account checked exactly once per sweep while an instance is killed', async (t) => {
  const settings = {
    RECHECK_SCHEDULE: 'every 2 seconds',
    RECHECK_CONCURRENCY: '1',
    PROVIDER_TIMEOUT_MS: '2000',
    RECHECK_LEASE_MS: '8000',
  }
  const fleet = await startFleet(t, 3, settings)
  const [a] = fleet.instances.map((i) => i.url) as [string]
  const owner = await setUp(a)
  const ws = owner.workspaceId
  const ACCOUNTS = 24
  for (let i = 0; i < ACCOUNTS; i++) {
    const provider = i % 2 ? 'hetzner-cloud' : 'digitalocean'
    const credentials = fleet.sims.get(provider)!.issueCredential()
    const res = await api(a, 'POST', `/api/v1/workspaces/${ws}/cloud-accounts`, {
      token: owner.token,
      body: { provider, label: `sweep ${i}`, credentials },
    })
    t.equal(res.status, 201, `account ${i}`)
  }
  // Slow answers make the sweep last long enough to kill an instance in the middle of it.
  for (const sim of fleet.sims.values()) sim.fault({ kind: 'latency', ms: 600 })
  const since = new Date()
  await fleet.sql(`update cloud_accounts set last_checked_at = now() - interval '2 days'`)

  const victim = fleet.instances[1]!
  // A worker thread needs a few seconds to start on a busy machine before its first claim.
  await within(120_000, async () => {
    const [row] = await fleet.sql<{ n: number }>(
      `select count(*)::int as n from checks where trigger = 'scheduled' and at >= $1`,
      [since],
    )
    return (row?.n ?? 0) >= 3
  })
  t.equal(await victim.stop('SIGKILL'), null, 'killed mid-sweep')
  await new Promise((r) => setTimeout(r, 1000))
  await fleet.start('i2-restarted', settings)

  await within(150_000, async () => {
    const [row] = await fleet.sql<{ n: number }>(
      `select count(*)::int as n from cloud_accounts where last_checked_at < $1`,
      [since],
    )
    return row?.n === 0
  })
  const counts = await fleet.sql<{ id: string; n: number }>(
    `select a.id, count(c.id)::int as n
       from cloud_accounts a
       left join checks c on c.account_id = a.id and c.trigger = 'scheduled' and c.at >= $1
      group by a.id`,
    [since],
  )
  t.equal(counts.length, ACCOUNTS)
  t.same(
    counts.filter((r) => r.n !== 1),
    [],
    'each account has exactly one scheduled check',
  )
})
