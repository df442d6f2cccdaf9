import type { IncomingHttpHeaders } from 'node:http'
import { PassThrough } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { BROKER_BODY_LIMIT } from '../../src/domain/broker/body.js'
import { build } from '../helper.js'
import { team as newTeam } from '../support/fixtures.js'
import { simulators } from '../support/sims.js'
import { call, connect, newBroker, origin, trap } from './support.js'

/**
 * The broker's HTTP handling, against a bare origin standing in for Hetzner Cloud: hop-by-hop and
 * cookie headers, bodies streamed both ways, the size limit, the deadline, an unreachable provider.
 */

const { sim } = await simulators(t, ['hetzner-cloud'])
// No PROVIDER_URL: the origin is set per phase (the simulator to connect, then the bare origin).
const { app } = await build(t)
const team = await newTeam(app)
app.providers.setOrigin('hetzner-cloud', sim('hetzner-cloud').url)
const accountId = await connect(app, team, 'hetzner-cloud', sim('hetzner-cloud').issueCredential())
const target = { workspaceId: team.workspaceId, accountId }

interface Seen {
  path: string
  headers: IncomingHttpHeaders
  bytes: number
}
const seen: Seen[] = []
let firstChunk: () => void = () => {}
let release: () => void = () => {}

const upstream = await origin(t, (req, res) => {
  const entry: Seen = { path: req.url ?? '', headers: req.headers, bytes: 0 }
  seen.push(entry)
  req.on('data', (chunk: Buffer) => {
    if (entry.bytes === 0) firstChunk()
    entry.bytes += chunk.length
  })
  req.on('end', () => {
    if (entry.path.startsWith('/hang')) return
    if (entry.path.startsWith('/redirect')) {
      const to = new URL(entry.path, 'http://x').searchParams.get('to') ?? '/'
      res.writeHead(302, { location: to }).end()
      return
    }
    if (entry.path.startsWith('/download')) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      res.write(Buffer.alloc(1024 * 1024, 1))
      new Promise<void>((resolve) => (release = resolve)).then(() =>
        res.end(Buffer.alloc(4 * 1024 * 1024, 2)),
      )
      return
    }
    res.writeHead(200, {
      'content-type': 'application/json',
      'set-cookie': ['provider_session=abc; HttpOnly', 'other=1'],
      connection: 'x-hop',
      'x-hop': 'per-connection',
      'alt-svc': 'h3=":443"',
      link: '<https://api.hetzner.cloud/v1/servers?page=2>; rel="next"',
      'ratelimit-remaining': '3599',
    })
    res.end(JSON.stringify({ bytes: entry.bytes }))
  })
})
app.providers.setOrigin('hetzner-cloud', upstream)
const broker = newBroker(app, 500)

t.test('hop-by-hop, forwarding and cookie headers stay on their side', async (t) => {
  const trapped = await trap(t)
  const res = await call(app, broker, target, {
    path: '/echo',
    query: 'page=2&per_page=50',
    headers: {
      host: trapped.host,
      'x-forwarded-host': trapped.host,
      'x-forwarded-for': '203.0.113.9',
      forwarded: `for=203.0.113.9;host=${trapped.host}`,
      connection: 'keep-alive, x-drop-me',
      'x-drop-me': 'listed in Connection',
      'keep-alive': 'timeout=5',
      te: 'trailers',
      upgrade: 'websocket',
      'proxy-authorization': 'Basic cHJveHk6c2VjcmV0',
      accept: 'application/json',
    },
  })
  t.equal(res.status, 200, res.text)
  const got = seen.at(-1)!
  t.equal(got.path, '/echo?page=2&per_page=50', 'path and query as sent')
  t.equal(got.headers.host, new URL(upstream).host, 'the provider origin as Host')
  for (const name of [
    'x-forwarded-host',
    'x-forwarded-for',
    'forwarded',
    'x-drop-me',
    'keep-alive',
    'te',
    'upgrade',
    'proxy-authorization',
  ])
    t.notOk(got.headers[name], `${name} is not forwarded`)
  t.equal(got.headers.accept, 'application/json')
  t.same(trapped.connections, [], 'the host named in headers was never contacted')

  t.notOk(res.headers['set-cookie'], 'Set-Cookie never comes back')
  t.notOk(res.headers['x-hop'], 'a header listed in Connection stays behind')
  t.notOk(res.headers['alt-svc'])
  t.equal(res.headers['ratelimit-remaining'], '3599', 'rate-limit headers come back')
  t.match(res.headers.link, /rel="next"/, 'pagination headers come back')
  t.equal(res.headers['x-cloudlink-proxied'], '1')
})

t.test('a 5 MB upload streams through without being held', async (t) => {
  const body = new PassThrough()
  const arrived = new Promise<void>((resolve) => (firstChunk = resolve))
  const size = 5 * 1024 * 1024
  const pending = call(app, broker, target, {
    method: 'POST',
    path: '/upload',
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
    body,
  })
  body.write(Buffer.alloc(1024 * 1024, 7))
  // The rest is only sent once the provider has the first megabyte: a broker that buffered the
  // whole body would wait forever here.
  const first = await Promise.race([arrived.then(() => true), sleep(5_000).then(() => false)])
  t.ok(first, 'the provider got the first part while the caller was still sending')
  body.end(Buffer.alloc(size - 1024 * 1024, 7))
  const res = await pending
  t.equal(res.status, 200, res.text)
  t.same(JSON.parse(res.text), { bytes: size }, 'every byte arrived')
  t.equal(seen.at(-1)!.headers['content-length'], String(size), 'the declared length is kept')
})

t.test('a large answer streams back as the provider sends it', async (t) => {
  const answer = await broker.forward({
    em: app.orm.em.fork(),
    ...target,
    token: null,
    method: 'GET',
    path: '/download',
    query: '',
    headers: {},
    body: null,
    signal: new AbortController().signal,
  })
  t.equal(answer.status, 200)
  let received = 0
  for await (const chunk of answer.body) {
    received += (chunk as Buffer).length
    // The provider sends the rest only after the caller has the first megabyte.
    if (received >= 1024 * 1024) release()
  }
  t.equal(received, 5 * 1024 * 1024)
})

t.test('bodies over the limit are refused: declared, or counted while streaming', async (t) => {
  const before = seen.length
  const declared = await call(app, broker, target, {
    method: 'PUT',
    path: '/upload',
    headers: { 'content-length': String(BROKER_BODY_LIMIT + 1) },
    body: new PassThrough(),
  })
  t.equal(declared.status, 413)
  t.equal(declared.error?.code, 'PAYLOAD_TOO_LARGE')
  t.equal(seen.length, before, 'refused before any connection')

  const body = new PassThrough()
  const pending = call(app, broker, target, {
    method: 'PUT',
    path: '/upload',
    headers: { 'transfer-encoding': 'chunked' },
    body,
  })
  for (let sent = 0; sent <= BROKER_BODY_LIMIT; sent += 1024 * 1024)
    if (!body.write(Buffer.alloc(1024 * 1024))) await sleep(1)
  body.end()
  const streamed = await pending
  t.equal(streamed.status, 413, streamed.text)
})

t.test('no answer within BROKER_TIMEOUT_MS is 502, and so is a refused connection', async (t) => {
  const started = Date.now()
  const slow = await call(app, broker, target, { path: '/hang' })
  t.equal(slow.status, 502)
  t.equal(slow.error?.code, 'PROVIDER_UNREACHABLE')
  t.match(slow.error?.details, { reason: 'timeout' })
  t.ok(Date.now() - started < 3_000, 'cut at the deadline')

  app.providers.setOrigin('hetzner-cloud', `http://127.0.0.1:1`)
  t.teardown(() => app.providers.setOrigin('hetzner-cloud', upstream))
  const down = await call(app, broker, target, { path: '/v1/servers' })
  t.equal(down.status, 502)
  t.match(down.error?.details, { reason: 'network' })
})

t.test('a redirect is handed back as it is, never followed', async (t) => {
  const trapped = await trap(t)
  const res = await call(app, broker, target, {
    path: '/redirect',
    query: `to=http://${trapped.host}/`,
  })
  t.equal(res.status, 302)
  t.equal(res.headers.location, `http://${trapped.host}/`)
  await sleep(100)
  t.same(trapped.connections, [], 'the broker did not go there')
})
