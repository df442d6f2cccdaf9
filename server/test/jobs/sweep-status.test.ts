import t from 'tap'
import {
  heldClaims,
  makeDue,
  scheduledChecks,
  statuses,
  sweep,
  sweepSetup,
} from './fixtures/recheck.js'

/** What a sweep does to statuses, inventory and history, and how it stops. */
t.test('recheck sweep: statuses and shutdown', async (t) => {
  const { sims, sim, a, workspaceId, owner, accounts, reset } = await sweepSetup(t)
  const total = accounts.length

  t.test('Retry-After is honoured and the account retried in the same sweep', async (t) => {
    await makeDue(a.app)
    const s = sim('hetzner-cloud')
    s.fault({ kind: 'rate-limit', retryAfter: 1 }, { times: 1 })
    const counts = await sweep(a.app)
    t.equal(counts.ok, total, JSON.stringify(counts))
    t.equal(counts.deferred, 0)
    const [limited, ...rest] = s.requests
    const next = rest.find((r) => r.credential === limited?.credential)
    t.ok(limited && next, 'the provider was asked again for the same account')
    if (limited && next)
      t.ok(Date.parse(next.at) - Date.parse(limited.at) >= 950, 'only after the wait it asked for')
    reset()
  })

  t.test('revoked credentials flip within one sweep; restored ones flip back', async (t) => {
    for (const acc of accounts) sim(acc.provider).revoke(acc.credentials)
    await makeDue(a.app)
    const revoked = await sweep(a.app)
    t.equal(revoked.rejected, total, JSON.stringify(revoked))
    t.same([...new Set((await statuses(a.app)).values())], ['needs_attention'])

    for (const acc of accounts) sim(acc.provider).restore(acc.credentials)
    reset()
    await makeDue(a.app)
    const restored = await sweep(a.app)
    t.equal(restored.ok, total, JSON.stringify(restored))
    t.same([...new Set((await statuses(a.app)).values())], ['connected'])
    reset()
  })

  t.test('inventory is refreshed by every successful check', async (t) => {
    const acc = accounts.find((x) => x.provider === 'digitalocean') ?? accounts[0]
    if (!acc) return
    sim(acc.provider).setServers(acc.credentials, [])
    await makeDue(a.app, [acc.id])
    t.equal((await sweep(a.app)).ok, 1)
    const res = await a.app.inject({
      url: `/api/v1/workspaces/${workspaceId}/cloud-accounts/${acc.id}`,
      headers: owner.headers,
    })
    t.equal(res.json().serverCount, 0)
    reset()
  })

  t.test(
    '3 days without a successful check: stale, with the last error, still connected',
    async (t) => {
      const acc = accounts[0]
      if (!acc) return
      const get = () =>
        a.app.inject({
          url: `/api/v1/workspaces/${workspaceId}/cloud-accounts/${acc.id}`,
          headers: owner.headers,
        })
      // The clock moves: the last success was 4 days ago.
      await a.app.orm.em
        .fork()
        .execute(
          `update cloud_accounts set last_healthy_at = now() - interval '4 days' where id = ?`,
          [acc.id],
        )
      await makeDue(a.app, [acc.id])
      sim(acc.provider).fault({ kind: 'status', status: 503 })
      await sweep(a.app)
      reset()
      const stale = (await get()).json()
      t.match(stale, {
        status: 'connected',
        stale: true,
        lastCheck: { outcome: 'unreachable', message: /server error/ },
      })

      await makeDue(a.app, [acc.id])
      await sweep(a.app)
      t.match((await get()).json(), {
        status: 'connected',
        stale: false,
        lastCheck: { outcome: 'ok' },
      })
    },
  )

  t.test(
    'stopping mid-sweep finishes in-flight checks; the next sweep does the rest',
    async (t) => {
      await makeDue(a.app)
      const before = await scheduledChecks(a.app)
      for (const s of sims.values()) s.fault({ kind: 'latency', ms: 400 })
      const controller = new AbortController()
      setTimeout(() => controller.abort(), 200)
      const first = await sweep(a.app, {
        signal: controller.signal,
        concurrency: () => 1,
        graceMs: 10_000,
      })
      t.equal(first.aborted, true)
      t.ok(first.checked > 0 && first.checked < total, JSON.stringify(first))
      t.equal(await heldClaims(a.app), 0, 'unchecked claims were released')

      const second = await sweep(a.app)
      t.equal(first.checked + second.checked, total, JSON.stringify(second))
      const after = await scheduledChecks(a.app)
      for (const acc of accounts)
        t.equal((after.get(acc.id) ?? 0) - (before.get(acc.id) ?? 0), 1, `${acc.provider} once`)
      reset()
    },
  )
  t.test('per-provider limits: concurrency and a request budget', async (t) => {
    await makeDue(a.app)
    const counts = await sweep(a.app, {
      concurrency: () => 1,
      budgets: { 'hetzner-cloud': { requests: 2, perMs: 2_000 } },
    })
    t.equal(counts.ok, total)
    for (const [id, s] of sims) {
      // One check at a time: each credential's requests form one unbroken run in the log.
      const signed = s.requests.filter((r) => r.credential) // OVH first asks for the time, unsigned
      const runs = signed.filter((r, i) => i === 0 || r.credential !== signed[i - 1]?.credential)
      t.equal(runs.length, 2, `${id}: the two accounts were checked one after the other`)
    }
    // Unlimited, the 3rd request would follow the 2nd within milliseconds; the window holds it
    // until 2 s after the 1st (the margin absorbs the 1st request's own trip on a busy machine).
    const [first, , third] = sim('hetzner-cloud').requests
    t.ok(first && third && Date.parse(third.at) - Date.parse(first.at) >= 1_500, 'budget waited')
    reset()
  })

  t.test('history older than 90 days is dropped by the sweep', async (t) => {
    const acc = accounts[0]
    if (!acc) return
    const em = a.app.orm.em.fork()
    await em.execute(
      `insert into checks (id, account_id, at, trigger, outcome, message, latency_ms)
         values (gen_random_uuid(), ?, now() - interval '91 days', 'scheduled', 'ok', 'old', 1)`,
      [acc.id],
    )
    await sweep(a.app)
    const old = await em.execute<{ n: number }[]>(
      `select count(*)::int as n from checks where at < now() - interval '90 days'`,
    )
    t.equal(old[0]?.n, 0)
  })
})
