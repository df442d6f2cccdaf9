/**
 * Issue 14 broker benchmarks, each a ratio or a difference measured in one run:
 * - p50 overhead of a call through the broker beyond the same call made directly to the simulator
 *   (targets: < 3 ms for a Bearer provider, Hetzner Cloud; < 6 ms for the signed ones, AWS SigV4 and
 *   OVH, whose direct calls are signed by the same code the broker uses);
 * - requests/s through the broker ÷ directly to the simulator, both driven by autocannon
 *   (target ≥ 0.6).
 * Needs TEST_DATABASE_URL (a PostgreSQL server); falls back to embedded PGlite otherwise.
 */
import autocannon from 'autocannon'
import { request } from 'undici'
import { Worker } from 'node:worker_threads'
import type { ProviderId } from '@cloudlink/shared'
import { signQueryCall } from '../src/providers/aws/sign.js'
import { signedHeaders } from '../src/providers/ovh/client.js'
import { build } from '../test/helper.js'
import { team } from '../test/support/fixtures.js'
import { mintToken } from '../test/support/tokens.js'

const teardowns: (() => unknown)[] = []
const t = { teardown: (fn: () => unknown) => void teardowns.push(fn) }

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)] ?? 0

interface Call {
  method: 'GET' | 'POST'
  url: string
  headers: Record<string, string>
  body?: string
}

async function timeOnce(call: () => Promise<Call>): Promise<number> {
  const c = await call()
  const started = performance.now()
  const res = await request(c.url, {
    method: c.method,
    headers: c.headers,
    ...(c.body ? { body: c.body } : {}),
  })
  await res.body.arrayBuffer()
  if (res.statusCode !== 200) throw new Error(`${c.method} ${c.url}: ${res.statusCode}`)
  return performance.now() - started
}

/** p50 of each side, alternating call by call so drift hits both alike; signing counts on both. */
async function overhead(direct: () => Promise<Call>, broker: () => Promise<Call>) {
  const WARM_UP = 200
  const MEASURED = 600
  const a: number[] = []
  const b: number[] = []
  for (let i = 0; i < WARM_UP + MEASURED; i++) {
    const d = await timeOnce(direct)
    const p = await timeOnce(broker)
    if (i >= WARM_UP) {
      a.push(d)
      b.push(p)
    }
  }
  return { direct: percentile(a, 0.5), broker: percentile(b, 0.5) }
}

/** Starts the simulators in their own thread; resolves with their origins and a credential each. */
async function simulatorThread(ids: ProviderId[]) {
  const worker = new Worker(new URL('./support/sim-worker.ts', import.meta.url), {
    workerData: ids,
    execArgv: ['--import', 'tsx'],
  })
  t.teardown(() => worker.postMessage('close'))
  const started: { id: ProviderId; url: string; credentials: Record<string, string> }[] =
    await new Promise((resolve, reject) => {
      worker.once('message', resolve)
      worker.once('error', reject)
    })
  return new Map(started.map((s) => [s.id, s]))
}

async function main() {
  const ids: ProviderId[] = ['hetzner-cloud', 'aws', 'ovh-eu']
  const sims = await simulatorThread(ids)
  const sim = (id: ProviderId) => sims.get(id)!
  const { app } = await build(t, {
    config: {
      LOG_LEVEL: 'silent',
      PROVIDER_URL_HETZNER_CLOUD: sim('hetzner-cloud').url,
      PROVIDER_URL_AWS: sim('aws').url,
      PROVIDER_URL_OVH_EU: sim('ovh-eu').url,
    },
  })
  const owner = await team(app)
  const connect = async (provider: ProviderId) => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/workspaces/${owner.workspaceId}/cloud-accounts`,
      headers: owner.owner.headers,
      payload: { provider, label: provider, credentials: sim(provider).credentials },
    })
    if (res.statusCode !== 201) throw new Error(`connect ${provider}: ${res.body}`)
    return (res.json() as { id: string }).id
  }
  const hetzner = sim('hetzner-cloud').credentials
  const aws = sim('aws').credentials
  const ovh = sim('ovh-eu').credentials
  const accounts = {
    hetzner: await connect('hetzner-cloud'),
    aws: await connect('aws'),
    ovh: await connect('ovh-eu'),
  }
  const { token } = await mintToken(app, owner, { scopes: ['accounts:use'] })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as { port: number }).port
  const proxy = (accountId: string, path: string) =>
    `http://127.0.0.1:${port}/api/v1/workspaces/${owner.workspaceId}/cloud-accounts/${accountId}/proxy${path}`
  const tokenHeaders = { authorization: `Bearer ${token}` }

  const bearer = await overhead(
    async () => ({
      method: 'GET',
      url: `${sim('hetzner-cloud').url}/v1/servers`,
      headers: { authorization: `Bearer ${hetzner.token}` },
    }),
    async () => ({
      method: 'GET',
      url: proxy(accounts.hetzner, '/v1/servers'),
      headers: tokenHeaders,
    }),
  )

  const describe = 'Action=DescribeInstances&Version=2016-11-15'
  const form = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }
  const sigv4 = await overhead(
    async () => {
      const url = new URL(`${sim('aws').url}/`)
      const signed = await signQueryCall(
        url,
        describe,
        { accessKeyId: aws.accessKeyId!, secretAccessKey: aws.secretAccessKey! },
        { service: 'ec2', region: 'us-east-1' },
        new Date(),
      )
      return { method: 'POST', url: url.href, headers: signed, body: describe }
    },
    async () => ({
      method: 'POST',
      url: proxy(accounts.aws, '/'),
      headers: { ...tokenHeaders, ...form },
      body: describe,
    }),
  )

  const ovhOffset = 0
  const ovhSigned = await overhead(
    async () => {
      const url = `${sim('ovh-eu').url}/1.0/me`
      const c = ovh as Record<string, string> & {
        applicationKey: string
        applicationSecret: string
        consumerKey: string
      }
      return { method: 'GET', url, headers: signedHeaders(c, 'GET', url, '', ovhOffset) }
    },
    async () => ({ method: 'GET', url: proxy(accounts.ovh, '/1.0/me'), headers: tokenHeaders }),
  )

  const line = (name: string, r: { direct: number; broker: number }, target: number) =>
    console.log(
      `${name}: p50 direct ${r.direct.toFixed(2)} ms, through the broker ${r.broker.toFixed(2)} ms → overhead ${(r.broker - r.direct).toFixed(2)} ms (target < ${target} ms)`,
    )
  line('Bearer (Hetzner Cloud GET /v1/servers)', bearer, 3)
  line('SigV4 (AWS EC2 DescribeInstances)', sigv4, 6)
  line('OVH signature (GET /1.0/me)', ovhSigned, 6)

  // Throughput, alternating short runs so neighbours on this shared machine hit both sides alike.
  // autocannon in a worker thread: its own work must not be counted against the broker's.
  const run = (url: string, headers: Record<string, string>) =>
    autocannon({ url, connections: 10, duration: 2, headers, workers: 1 })
  const directUrl = `${sim('hetzner-cloud').url}/v1/servers`
  const directHeaders = { authorization: `Bearer ${hetzner.token}` }
  const brokerUrl = proxy(accounts.hetzner, '/v1/servers')
  await run(directUrl, directHeaders)
  await run(brokerUrl, tokenHeaders)
  const pairs: { direct: number; broker: number; ratio: number }[] = []
  for (let round = 0; round < 7; round++) {
    const direct = await run(directUrl, directHeaders)
    const through = await run(brokerUrl, tokenHeaders)
    if (through.non2xx > 0) throw new Error(`${through.non2xx} non-2xx answers from the broker`)
    pairs.push({
      direct: direct.requests.average,
      broker: through.requests.average,
      ratio: through.requests.average / direct.requests.average,
    })
  }
  const median = [...pairs].sort((a, b) => a.ratio - b.ratio)[Math.floor(pairs.length / 2)]!
  console.log(
    `GET /v1/servers requests/s (autocannon, 10 connections, median of ${pairs.length} alternating 2 s pairs): broker ${median.broker.toFixed(0)} vs direct ${median.direct.toFixed(0)} → ratio ${median.ratio.toFixed(2)} (target ≥ 0.6); all pairs ${pairs.map((p) => `${p.broker.toFixed(0)}/${p.direct.toFixed(0)}`).join(' ')}`,
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
