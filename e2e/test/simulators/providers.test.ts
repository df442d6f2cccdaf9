import t from 'tap'
import { demoCredentials, startSimulator, type Credentials } from '../../src/simulators/index.js'
import { call, cases, control } from '../helpers/provider-cases.js'

/** Behaviour every simulator shares, checked against each provider's real answers. */

/** Same format, different value: flips the last character between two digits. */
const unknownLike = (c: Credentials): Credentials =>
  Object.fromEntries(
    Object.entries(c).map(([k, v]) => [k, v.slice(0, -1) + (v.endsWith('0') ? '1' : '0')]),
  )

const servers = [
  { providerServerId: '4242', name: 'alpha', status: 'running', region: 'fsn1', ipv4: '192.0.2.1' },
  { providerServerId: '4343', name: 'beta', status: 'off', region: 'nbg1', ipv4: null },
]

for (const pc of cases) {
  t.test(pc.id, async (t) => {
    const sim = await startSimulator(pc.id)
    t.teardown(() => sim.close())
    // Robot blocks the client after 3 failed logins; these tests fail logins on purpose.
    t.beforeEach(() => {
      sim.clearLimits()
      sim.fault(null)
    })

    t.test('issues credentials in the real format that the API accepts', async (t) => {
      const c = sim.issueCredential()
      for (const [field, pattern] of Object.entries(pc.format)) t.match(c[field], pattern, field)
      t.same(Object.keys(c).sort(), Object.keys(pc.format).sort())
      const verify = await call(sim, pc.verifyPath, c)
      t.equal(verify.status, 200)
      const list = await call(sim, pc.listPath, c)
      t.equal(list.status, 200)
      t.equal(pc.serverIds(list.body).length, 2, 'two servers by default')
      t.not(sim.issueCredential()[Object.keys(pc.format)[0]!], c[Object.keys(pc.format)[0]!])
    })

    t.test('lists the servers it was given, and setServers replaces them', async (t) => {
      const c = sim.issueCredential({ servers })
      t.same(pc.serverIds((await call(sim, pc.listPath, c)).body), ['4242', '4343'])
      sim.setServers(c, servers.slice(1))
      t.same(pc.serverIds((await call(sim, pc.listPath, c)).body), ['4343'])
    })

    t.test('rejects unknown, missing and revoked credentials with the exact body', async (t) => {
      const c = sim.issueCredential()
      const unknown = await call(sim, pc.verifyPath, unknownLike(c))
      t.same([unknown.status, unknown.body], [pc.unauthorized.status, pc.unauthorized.body])
      const missing = await call(sim, pc.verifyPath)
      const noCredential = pc.unauthorizedMissing ?? pc.unauthorized
      t.same([missing.status, missing.body], [noCredential.status, noCredential.body])
      sim.revoke(c)
      const revoked = await call(sim, pc.listPath, c)
      const onList = pc.unauthorizedRevoked?.list ?? pc.unauthorized
      t.same([revoked.status, revoked.body], [onList.status, onList.body])
      sim.clearLimits()
      sim.restore(c)
      t.equal((await call(sim, pc.listPath, c)).status, 200, 'restored')
      t.throws(() => sim.revoke(unknownLike(c)), /unknown credential/)
    })

    t.test('logs each request with the credential it used, accepted or not', async (t) => {
      sim.clearRequests()
      const c = sim.issueCredential()
      const paged = `${pc.listPath}${pc.listPath.includes('?') ? '&' : '?'}page=1`
      await call(sim, paged, c)
      await call(sim, pc.verifyPath, unknownLike(c))
      await call(sim, pc.verifyPath)
      await control(sim, 'GET', 'requests')
      t.equal(sim.requests.length, 3, 'control calls are not logged')
      const [first, second, third] = sim.requests
      t.match(first, { method: 'GET', path: paged, credential: pc.logged(c) })
      for (const name of pc.credentialHeaders ?? Object.keys(pc.authHeaders?.(c) ?? {}))
        t.ok(first?.headers[name.toLowerCase()], `headers are kept (${name})`)
      t.equal(second?.credential, pc.logged(unknownLike(c)))
      t.equal(third?.credential, null)
      t.ok(!Number.isNaN(Date.parse(first?.at ?? '')))
      sim.clearRequests()
      t.equal(sim.requests.length, 0)
    })

    t.test('demo credentials: good, revoked and slow', async (t) => {
      const demo = demoCredentials[pc.id]!
      for (const [field, pattern] of Object.entries(pc.format)) {
        for (const c of [demo.good, demo.revoked, demo.slow]) t.match(c[field], pattern)
      }
      const good = await call(sim, pc.listPath, demo.good)
      t.equal(good.status, 200)
      t.equal(pc.serverIds(good.body).length, 2)
      const again = await startSimulator(pc.id)
      t.same((await call(again, pc.listPath, demo.good)).body, good.body, 'same on every start')
      await again.close()
      const revoked = await call(sim, pc.verifyPath, demo.revoked)
      const refused = pc.unauthorizedRevoked?.verify ?? pc.unauthorized
      t.same([revoked.status, revoked.body], [refused.status, refused.body])
      const started = Date.now()
      t.equal((await call(sim, pc.verifyPath, demo.slow)).status, 200)
      t.ok(Date.now() - started >= 2900, 'slow answers after 3 s')
    })

    t.test('faults', async (t) => {
      const c = sim.issueCredential()

      t.test('latency answers normally, late', async (t) => {
        sim.fault({ kind: 'latency', ms: 300 })
        const started = Date.now()
        t.equal((await call(sim, pc.listPath, c)).status, 200)
        t.ok(Date.now() - started >= 290)
      })

      t.test('hang never answers; control calls still work', async (t) => {
        sim.fault({ kind: 'hang' })
        await t.rejects(call(sim, pc.verifyPath, c, { signal: AbortSignal.timeout(300) }))
        t.equal((await control(sim, 'GET', 'requests')).status, 200)
      })

      for (const status of [500, 502, 503] as const) {
        t.test(`status ${status} with a provider-shaped JSON body`, async (t) => {
          sim.fault({ kind: 'status', status })
          const res = await call(sim, pc.verifyPath, c)
          t.equal(res.status, status)
          t.type(res.body, 'object')
        })
      }

      t.test("rate-limit is the provider's own answer", async (t) => {
        sim.fault({ kind: 'rate-limit', retryAfter: 7 })
        const res = await call(sim, pc.listPath, c)
        t.same([res.status, res.body], [pc.rateLimited.status, pc.rateLimited.body])
        for (const name of pc.rateLimited.headers) t.ok(res.headers.get(name), name)
        if (pc.rateLimited.headers.includes('retry-after')) {
          t.equal(res.headers.get('retry-after'), '7')
        }
      })

      t.test('reset drops the connection', async (t) => {
        sim.fault({ kind: 'reset' })
        await t.rejects(call(sim, pc.verifyPath, c), TypeError)
      })

      t.test('malformed is a 200 that is not JSON', async (t) => {
        sim.fault({ kind: 'malformed' })
        const res = await call(sim, pc.listPath, c)
        t.equal(res.status, 200)
        t.throws(() => JSON.parse(res.text))
      })

      t.test('times limits the fault; null clears it', async (t) => {
        sim.fault({ kind: 'status', status: 500 }, { times: 2 })
        const statuses = []
        for (let i = 0; i < 3; i++) statuses.push((await call(sim, pc.verifyPath, c)).status)
        t.same(statuses, [500, 500, 200])
        sim.fault({ kind: 'status', status: 502 })
        sim.fault(null)
        t.equal((await call(sim, pc.verifyPath, c)).status, 200)
      })
    })
  })
}
