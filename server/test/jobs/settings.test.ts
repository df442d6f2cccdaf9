import t from 'tap'
import { ConfigError } from '../../src/config.js'
import { ProviderGate } from '../../src/domain/recheck/gate.js'
import { configEnv } from '../../src/domain/recheck/protocol.js'
import { parseConcurrency } from '../../src/domain/recheck/settings.js'
import { build, testConfig } from '../helper.js'

t.test('RECHECK_CONCURRENCY', async (t) => {
  const four = parseConcurrency('4')
  t.equal(four('digitalocean'), 4)
  t.equal(four('hetzner-robot'), 1, 'Robot defaults to one check at a time')
  const mixed = parseConcurrency('16,digitalocean=8,hetzner-robot=2')
  t.equal(mixed('vultr'), 16)
  t.equal(mixed('digitalocean'), 8)
  t.equal(mixed('hetzner-robot'), 2, 'an explicit override wins')
  t.throws(() => parseConcurrency('4,nope=2'), ConfigError)
  t.throws(() => parseConcurrency('0'), ConfigError)
  t.throws(() => testConfig({}, { RECHECK_CONCURRENCY: 'four' }), ConfigError)
})

t.test('the worker rebuilds the parent config from configEnv', async (t) => {
  const config = testConfig(
    { DATABASE_URL: 'postgresql://x@127.0.0.1/db' },
    { SANDBOX: '1', PROVIDER_URL_VULTR: 'http://127.0.0.1:9', RECHECK_CONCURRENCY: '3' },
  )
  t.same(testConfig({}, configEnv(config)), config)
})

t.test('provider gate', async (t) => {
  const signal = new AbortController().signal
  t.test('a request budget holds the request after the last one in the window', async (t) => {
    const gate = new ProviderGate({ requests: 3, perMs: 400 }, 60_000)
    const started = Date.now()
    for (let i = 0; i < 4; i++) await gate.acquire(signal)
    t.ok(Date.now() - started >= 390, 'the 4th request waited for the window')
  })
  t.test('an exhausted rate-limit counter pauses the provider until its reset', async (t) => {
    const gate = new ProviderGate(undefined, 60_000)
    gate.observe(new Headers({ 'ratelimit-remaining': '5', 'ratelimit-reset': '1' }))
    let started = Date.now()
    await gate.acquire(signal)
    t.ok(Date.now() - started < 50, 'requests left: no pause')
    gate.observe(new Headers({ 'x-ratelimit-remaining': '0', 'retry-after': '1' }))
    started = Date.now()
    await gate.acquire(signal)
    t.ok(Date.now() - started >= 950)
  })
  t.test('pauses are capped and abortable', async (t) => {
    const gate = new ProviderGate(undefined, 200)
    gate.pause(3_600_000)
    const started = Date.now()
    await gate.acquire(signal)
    t.ok(Date.now() - started < 1_000, 'an hour-long Retry-After does not stall the sweep')
    gate.pause(60_000)
    await t.rejects(gate.acquire(AbortSignal.timeout(50)))
  })
})

t.test('RECHECK_SCHEDULE', async (t) => {
  const a = await build(t)
  const b = await build(t, { env: a.env })
  const label = (logs: string[]) =>
    logs.map((l) => /"schedule":"(daily at \d\d:\d\d UTC)/.exec(l)?.[1]).find(Boolean)
  t.match(label(a.logs), /^daily at/, 'daily by default, at a random minute of the day')
  t.equal(label(b.logs), label(a.logs), 'stored: every instance of an installation agrees')
  t.ok(a.app.jobs.recheckScheduled, 'the recheck job is scheduled')

  const off = await build(t, { env: a.env, config: { RECHECK_SCHEDULE: 'off' } })
  t.equal(off.app.jobs.recheckScheduled, false)
  t.notOk(
    off.app.jobs.bree.config.jobs.some((job) => (job as { name?: string }).name === 'recheck'),
    'no recheck job (the notify job stays)',
  )
  await t.rejects(off.app.jobs.runRecheck())
})
