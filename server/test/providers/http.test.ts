import { test } from 'tap'
import { createProviderHttp, UnreachableError } from '../../src/providers/core/http.js'
import { origin } from '../support/origin.js'

/** One provider request's edge cases against a real loopback server, each answered its own way. */

const http = (base: string, timeoutMs = 2_000) =>
  createProviderHttp({
    providerName: 'Example',
    origins: { api: base },
    override: undefined,
    timeoutMs,
  })

async function failure(promise: Promise<unknown>) {
  try {
    await promise
  } catch (err: unknown) {
    if (err instanceof UnreachableError) return err.result
    throw err
  }
  throw new Error('expected the request to fail')
}

test('sends method, headers and body; reads status, repeated headers, JSON and a BOM', async (t) => {
  let seen: { method?: string; url?: string; body: string; headers: Record<string, unknown> } = {
    body: '',
    headers: {},
  }
  const base = await origin(t, (req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      seen = { method: req.method, url: req.url, body, headers: req.headers }
      res.setHeader('x-many', ['a', 'b'])
      res.writeHead(201, { 'content-type': 'application/json' })
      res.end('\ufeff{"ok":true,"name":"zoë"}')
    })
  })
  const res = await http(base).request('api', '/v1/things?page=2', {
    method: 'POST',
    headers: { authorization: 'Bearer t' },
    body: '{"a":1}',
  })
  t.equal(res.status, 201)
  t.same(res.json, { ok: true, name: 'zoë' })
  t.equal(res.headers.get('X-Many'), 'a, b')
  t.equal(res.headers.get('absent'), null)
  t.equal(seen.method, 'POST')
  t.equal(seen.url, '/v1/things?page=2')
  t.equal(seen.body, '{"a":1}')
  t.equal(seen.headers.authorization, 'Bearer t')
  t.equal(seen.headers.accept, 'application/json')
})

test('a body that is not JSON is text only: XML, an HTML page, broken JSON; a bare number is JSON', async (t) => {
  const bodies: Record<string, string> = {
    '/xml': '<?xml version="1.0"?>\n<DescribeRegionsResponse/>',
    '/html': '  \n<html><body>Bad gateway</body></html>',
    '/broken': '{"a":',
    '/number': ' 1733400000',
    '/empty': '',
  }
  const base = await origin(t, (req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.end(bodies[req.url ?? ''])
  })
  for (const [path, body] of Object.entries(bodies)) {
    const res = await http(base).request('api', path)
    t.equal(res.text, body, `${path}: the text as sent`)
    t.same(res.json, path === '/number' ? 1733400000 : undefined, `${path}: its JSON`)
  }
})

test('JSON strings come out storable: NUL dropped, half a surrogate pair replaced, pairs kept', async (t) => {
  const base = await origin(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end('{"name":"a\\u0000b\\ud800c","emoji":"\\ud83d\\ude00","n":1,"list":["\\uDFFF"]}')
  })
  const res = await http(base).request('api', '/')
  t.same(res.json, { name: 'ab\uFFFDc', emoji: '\u{1F600}', n: 1, list: ['\uFFFD'] })
})

test('no answer within the deadline → timeout, on time', async (t) => {
  const base = await origin(t, () => {})
  const started = Date.now()
  const result = await failure(http(base, 300).request('api', '/'))
  t.equal(result.reason, 'timeout')
  t.ok(Date.now() - started < 1_500, 'the deadline, not the socket, ended it')
})

test('an answer that stops half way: the deadline covers the body too', async (t) => {
  const base = await origin(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' })
    res.write('{"partial":')
  })
  t.equal((await failure(http(base, 300).request('api', '/'))).reason, 'timeout')
})

test('a connection cut mid-body → network, "stopped answering mid-response"', async (t) => {
  const base = await origin(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' })
    res.write('{"partial":', () => res.socket?.destroy())
  })
  const result = await failure(http(base).request('api', '/'))
  t.equal(result.reason, 'network')
  t.match(result.message, /mid-response/)
})

test('nobody listening → network, naming the cause', async (t) => {
  const base = await origin(t, () => {})
  const closed = base.replace(/:\d+$/, ':1')
  const result = await failure(http(closed).request('api', '/'))
  t.equal(result.reason, 'network')
  t.match(result.message, /ECONNREFUSED/)
})

test('a header undici refuses fails the request as unreachable, never as a crash', async (t) => {
  const base = await origin(t, (_req, res) => res.end('{}'))
  const result = await failure(
    http(base).request('api', '/', { headers: { 'x-bad': 'line\r\nbreak' } }),
  )
  t.equal(result.reason, 'network')
})

test('429 and 5xx carry Retry-After', async (t) => {
  let status = 429
  const base = await origin(t, (_req, res) => {
    res.writeHead(status, { 'retry-after': '7' })
    res.end()
  })
  const limited = await failure(http(base).request('api', '/'))
  t.same([limited.reason, limited.retryAfter], ['rate_limited', 7])
  status = 503
  const down = await failure(http(base).request('api', '/'))
  t.same([down.reason, down.retryAfter], ['server_error', 7])
})
