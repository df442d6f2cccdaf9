import t from 'tap'
import { brokerApp, call, connect, trap } from './support.js'

/**
 * The broker never becomes a way to reach another host: unknown origins, and hosts or IPs smuggled
 * into the path or the headers, are refused (or ignored) before any connection. A loopback listener
 * named in each attempt must receive nothing.
 */

const { app, sim, broker, team } = await brokerApp(t, ['hetzner-cloud', 'aws'])
const hetzner = {
  workspaceId: team.workspaceId,
  accountId: await connect(app, team, 'hetzner-cloud', sim('hetzner-cloud').issueCredential()),
}
const aws = {
  workspaceId: team.workspaceId,
  accountId: await connect(app, team, 'aws', sim('aws').issueCredential()),
}
const trapped = await trap(t)
const host = trapped.host

t.test('an unknown origin is 400 naming the header', async (t) => {
  for (const origin of ['evil', host, `http://${host}`, 'ec2:eu-west-1', 'api.hetzner.cloud']) {
    const before = sim('hetzner-cloud').requests.length
    const res = await call(app, broker, hetzner, {
      path: '/v1/servers',
      headers: { 'x-cloudlink-origin': origin },
    })
    t.equal(res.status, 400, origin)
    t.match(res.error?.details, [{ field: 'x-cloudlink-origin' }])
    t.equal(sim('hetzner-cloud').requests.length, before, 'nothing was sent anywhere')
  }
  const aws404 = await call(app, broker, aws, { headers: { 'x-cloudlink-origin': 'ec2:mars-1' } })
  t.equal(aws404.status, 400, 'AWS knows only its regions')
  t.same(trapped.connections, [])
})

t.test('a host or IP in the path is refused before any connection', async (t) => {
  const paths = [
    `//${host}/v1/servers`,
    `/http://${host}/v1/servers`,
    `/https:%2f%2f${host}`,
    `/@${host}/v1/servers`,
    `/v1@${host}/servers`,
    `/%40${host}`,
    `/%2f%2f${host}`,
    `/%2F${host}`,
    `/v1/../../${host}`,
    `/v1/%2e%2e/%2e%2e/${host}`,
    `/v1/%2E%2E%2f${host}`,
    `/v1/.%2e/servers`,
    `/./v1/servers`,
    `/\\\\${host}\\v1`,
    `/v1/%5c%5c${host}`,
    `/v1/servers\r\nHost: ${host}`,
    `/v1/servers%0d%0aHost:%20${host}`,
    `/v1/servers%00`,
    `/v1/servers%zz`,
    `v1/servers`,
  ]
  const before = sim('hetzner-cloud').requests.length
  for (const path of paths) {
    const res = await call(app, broker, hetzner, { path })
    t.equal(res.status, 400, JSON.stringify(path))
    t.match(res.error?.details, [{ field: 'path' }], JSON.stringify(path))
  }
  for (const query of [`a=1\r\nHost: ${host}`, `a=1#@${host}`, 'a=%zz']) {
    const res = await call(app, broker, hetzner, { path: '/v1/servers', query })
    t.equal(res.status, 400, JSON.stringify(query))
  }
  t.equal(sim('hetzner-cloud').requests.length, before, 'the provider got none of them either')
  t.same(trapped.connections, [], 'the smuggled host got nothing')
})

t.test('hosts named in headers are not followed', async (t) => {
  const res = await call(app, broker, hetzner, {
    path: '/v1/servers',
    headers: {
      host,
      'x-forwarded-host': host,
      ':authority': host,
      forwarded: `host=${host}`,
      'x-original-url': `http://${host}/`,
      'x-rewrite-url': `http://${host}/`,
    },
  })
  t.equal(res.status, 200, 'the call goes to the provider')
  const seen = sim('hetzner-cloud').requests.at(-1)!
  t.equal(seen.headers.host, new URL(sim('hetzner-cloud').url).host)
  // An AWS credential scope naming another "region" maps to no origin: the default is used.
  const scoped = await call(app, broker, aws, {
    method: 'POST',
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=AKIADUMMY/20250101/${host}/ec2/aws4_request, SignedHeaders=host, Signature=00`,
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': '43',
    },
    body: (await import('node:stream')).Readable.from([
      Buffer.from('Action=DescribeInstances&Version=2016-11-15'),
    ]),
  })
  t.equal(scoped.status, 200, scoped.text.slice(0, 200))
  t.match(sim('aws').requests.at(-1)!.headers.authorization, /\/us-east-1\/ec2\//, 'default origin')
  t.same(trapped.connections, [])
})
