import t from 'tap'
import { PROVIDER_IDS } from '@cloudlink/shared'
import {
  demoCredentials,
  simulatedProviders,
  startSimulator,
  startSimulators,
} from '../../src/simulators/index.js'
import { call, control } from '../helpers/provider-cases.js'

/** The `/__sim/` control API and the in-process methods steer the same state. */

t.test('control API', async (t) => {
  const sim = await startSimulator('digitalocean')
  t.teardown(() => sim.close())

  t.test('GET /__sim/ describes the simulator and its demo credentials', async (t) => {
    const res = await control(sim, 'GET', '')
    t.same(res.body, {
      id: 'digitalocean',
      url: sim.url,
      demoCredentials: demoCredentials.digitalocean,
    })
  })

  t.test('POST credentials issues one with the given options', async (t) => {
    const identity = { id: 'f'.repeat(40), name: 'Ada', email: 'ada@example.com' }
    const res = await control(sim, 'POST', 'credentials', { identity })
    t.equal(res.status, 201)
    const c = res.body as { token: string }
    t.match(c.token, /^dop_v1_[a-f0-9]{64}$/)
    const account = await call(sim, '/v2/account', c)
    t.match(account.body, { account: { uuid: identity.id, name: 'Ada', email: identity.email } })
  })

  t.test('PUT credentials registers a known value', async (t) => {
    const c = { token: `dop_v1_${'ab'.repeat(32)}` }
    t.equal((await call(sim, '/v2/account', c)).status, 401)
    t.equal(
      (await control(sim, 'PUT', 'credentials', { credentials: c, scopes: 'insufficient' })).status,
      201,
    )
    t.equal((await call(sim, '/v2/account', c)).status, 403)
  })

  t.test('revoke, restore and servers share state with the in-process methods', async (t) => {
    const c = sim.issueCredential()
    t.equal((await control(sim, 'POST', 'revoke', { credentials: c })).status, 204)
    t.equal((await call(sim, '/v2/account', c)).status, 401)
    sim.restore(c)
    t.equal((await call(sim, '/v2/account', c)).status, 200)
    sim.revoke(c)
    t.equal((await control(sim, 'POST', 'restore', { credentials: c })).status, 204)
    t.equal((await call(sim, '/v2/account', c)).status, 200)
    const servers = [
      { providerServerId: '77', name: 'x', status: 'off', region: 'ams3', ipv4: null },
    ]
    t.equal((await control(sim, 'PUT', 'servers', { credentials: c, servers })).status, 204)
    t.match((await call(sim, '/v2/droplets', c)).body, {
      droplets: [
        { id: 77, name: 'x', status: 'off', region: { slug: 'ams3' }, networks: { v4: [] } },
      ],
      meta: { total: 1 },
    })
  })

  t.test('bad input is a 400, an unknown credential a 404', async (t) => {
    const unknown = { token: `dop_v1_${'0'.repeat(64)}` }
    t.equal((await control(sim, 'POST', 'revoke', { credentials: unknown })).status, 404)
    t.equal((await control(sim, 'POST', 'revoke', {})).status, 400)
    t.equal((await control(sim, 'POST', 'credentials', { scopes: 'some' })).status, 400)
    t.equal(
      (await control(sim, 'PUT', 'fault', { fault: { kind: 'status', status: 418 } })).status,
      400,
    )
    t.equal((await control(sim, 'PUT', 'fault', {})).status, 400)
    t.equal((await control(sim, 'GET', 'nope')).status, 404)
  })

  t.test('PUT fault arms a fault for `times` requests, never for control calls', async (t) => {
    const c = sim.issueCredential()
    const armed = await control(sim, 'PUT', 'fault', { fault: { kind: 'hang' }, times: 1 })
    t.equal(armed.status, 204)
    t.equal((await control(sim, 'GET', 'requests')).status, 200, 'control is not faulted')
    await t.rejects(call(sim, '/v2/account', c, { signal: AbortSignal.timeout(200) }))
    t.equal((await call(sim, '/v2/account', c)).status, 200, 'used up')
    await control(sim, 'PUT', 'fault', { fault: { kind: 'status', status: 502 } })
    t.equal((await call(sim, '/v2/account', c)).status, 502)
    await control(sim, 'PUT', 'fault', { fault: null })
    t.equal((await call(sim, '/v2/account', c)).status, 200)
  })

  t.test('GET and DELETE requests', async (t) => {
    const c = sim.issueCredential()
    await control(sim, 'DELETE', 'requests')
    await call(sim, '/v2/droplets?per_page=5', c)
    const res = await control(sim, 'GET', 'requests')
    t.match(res.body, {
      items: [{ method: 'GET', path: '/v2/droplets?per_page=5', credential: c.token }],
    })
    t.equal((await control(sim, 'DELETE', 'requests')).status, 204)
    t.same(sim.requests, [])
  })
})

t.test('close() ends hung and keep-alive connections at once', async (t) => {
  const sim = await startSimulator('linode')
  const c = sim.issueCredential()
  await call(sim, '/v4/profile', c)
  sim.fault({ kind: 'hang' })
  const hung = call(sim, '/v4/profile', c)
  await new Promise((resolve) => setTimeout(resolve, 100))
  const started = Date.now()
  await sim.close()
  t.ok(Date.now() - started < 1000)
  await t.rejects(hung)
})

t.test('startSimulators starts one port per provider; unknown ids are refused', async (t) => {
  const sims = await startSimulators()
  t.teardown(() => Promise.all([...sims.values()].map((s) => s.close())))
  t.same([...sims.keys()], simulatedProviders)
  t.equal(new Set([...sims.values()].map((s) => s.url)).size, simulatedProviders.length)
  for (const [id, sim] of sims) t.equal(sim.id, id)
  // Any provider still without a simulator (the list shrinks as simulators land).
  const missing = PROVIDER_IDS.find((id) => !simulatedProviders.includes(id))
  if (missing) {
    await t.rejects(startSimulator(missing), new RegExp(`no simulator for provider '${missing}'`))
    await t.rejects(startSimulators(['vultr', missing]))
  }
})

t.test('a fixed port can be asked for', async (t) => {
  const probe = await startSimulator('vultr')
  const port = Number(new URL(probe.url).port)
  await probe.close()
  const sim = await startSimulator('vultr', { port })
  t.teardown(() => sim.close())
  t.equal(sim.url, `http://127.0.0.1:${port}`)
})
