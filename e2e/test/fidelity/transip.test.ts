import { createPrivateKey, randomBytes, sign } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import t from 'tap'
import { demoCredentials, startSimulator, type SimServer } from '../../src/simulators/index.js'
import { clientFor } from '../helpers/broker-clients.js'

/**
 * The TransIP simulator, checked against TransIP's official Go client, transip/gotransip
 * (https://github.com/transip/gotransip @f98077f0; TransIP publishes no npm client), and the API
 * documentation (https://api.transip.nl/rest/docs.html). Every request below is built the way
 * gotransip builds it, and every answer is read against its JSON tags:
 * - authenticator/authenticator.go: POST {basePath}/auth with an `AuthRequest` body (fields in
 *   this order: login, nonce, label (omitempty), read_only, expiration_time, global_key),
 *   `Content-Type` and `Accept: application/json`, and the `Signature` header;
 * - authenticator/sign.go: base64(RSA PKCS#1 v1.5 over the SHA-512 of the exact body bytes);
 * - jwt/token.go: the token is a JWT whose payload has `exp`;
 * - test/apitest.go: GET /api-test answers `{"ping": …}`;
 * - vps/repository.go GetSelection: GET /vps?page=N&pageSize=M; vps/vps.go `vpssWrapper`
 *   (json:"vpss") of `Vps` (name, uuid, description, productName, operatingSystem, diskSize,
 *   memorySize, cpus, status: created|installing|running|stopped|paused, ipAddress, macAddress,
 *   currentSnapshots, maxSnapshots, isLocked, isBlocked, isCustomerLocked, availabilityZone, tags);
 * - rest/response.go: an error is `{"error": "<message>"}` with the HTTP status;
 * - vps/repository.go Order: POST /vps with a VpsOrder (productName, availabilityZone,
 *   description, operatingSystem, …), 201 without a body; Cancel: DELETE /vps/{name} with a
 *   CancellationRequest `{"endTime": "end"|"immediately"}`, 204 (rest/method.go statuses).
 */

const VECTORS = resolve(import.meta.dirname, '../../fixtures/signing-vectors/transip')

/** sign.go signWithKey. */
const signWithKey = (body: string, pem: string) =>
  sign('sha512', Buffer.from(body), createPrivateKey(pem)).toString('base64')

/** authenticator.go getAuthRequest, serialised in the struct's field order as json.Marshal does. */
const authRequest = (login: string) =>
  JSON.stringify({
    login,
    nonce: randomBytes(8).toString('hex'),
    label: `gotransip-client-${Date.now()}`,
    read_only: false,
    expiration_time: '1 day',
    global_key: true,
  })

t.test('TransIP as gotransip speaks to it', async (t) => {
  const sim = await startSimulator('transip')
  t.teardown(() => sim.close())
  const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' }

  const requestToken = async (login: string, pem: string) => {
    const body = authRequest(login)
    const res = await fetch(`${sim.url}/v6/auth`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, Signature: signWithKey(body, pem) },
      body,
    })
    return { status: res.status, body: (await res.json()) as { token?: string; error?: string } }
  }
  const get = async (path: string, token: string) => {
    const res = await fetch(`${sim.url}/v6${path}`, {
      headers: { ...JSON_HEADERS, authorization: `Bearer ${token}` },
    })
    return { status: res.status, body: (await res.json()) as Record<string, unknown> }
  }

  t.test('our signer is gotransip’s: the sign_test.go known answer', async (t) => {
    const [vector] = JSON.parse(readFileSync(join(VECTORS, 'cases.json'), 'utf8')) as {
      body: string
      expected: string
    }[]
    t.equal(
      signWithKey(vector!.body, readFileSync(join(VECTORS, 'signature.key'), 'utf8')),
      vector!.expected,
    )
  })

  t.test('a key pair is accepted: 201 with a JWT, then the API answers', async (t) => {
    const demo = demoCredentials.transip!.good!
    const res = await requestToken(demo.login!, demo.privateKey!)
    t.equal(res.status, 201)
    const [, payload] = res.body.token!.split('.')
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<
      string,
      unknown
    >
    t.match(claims, { exp: Number, cid: String, iss: 'api.transip.nl' })
    t.ok((claims.exp as number) > Date.now() / 1000 + 23 * 3600, '"1 day" as asked')
    t.same(await get('/api-test', res.body.token!), { status: 200, body: { ping: 'pong' } })
  })

  t.test('VPSes come as `vpss`, three pages with GetSelection', async (t) => {
    const servers: SimServer[] = Array.from({ length: 12 }, (_, i) => ({
      providerServerId: `example-vps${i}`,
      name: `web ${i}`,
      status: ['running', 'stopped', 'installing'][i % 3]!,
      region: i % 2 ? 'ams0' : 'rtm0',
      ipv4: `192.0.2.${i + 1}`,
    }))
    const c = sim.issueCredential({ servers })
    const { body } = await requestToken(c.login!, c.privateKey!)
    const pages = []
    for (const page of [1, 2, 3]) {
      // url.Values encodes sorted: page, then pageSize.
      const res = await get(`/vps?page=${page}&pageSize=5`, body.token!)
      t.equal(res.status, 200)
      pages.push(res.body.vpss as Record<string, unknown>[])
    }
    t.same(
      pages.map((p) => p.length),
      [5, 5, 2],
    )
    const all = pages.flat()
    t.same(
      all.map((v) => v.name),
      servers.map((s) => s.providerServerId),
    )
    const shape: Record<string, 'string' | 'number' | 'boolean'> = {
      name: 'string',
      uuid: 'string',
      description: 'string',
      productName: 'string',
      operatingSystem: 'string',
      diskSize: 'number',
      memorySize: 'number',
      cpus: 'number',
      status: 'string',
      ipAddress: 'string',
      macAddress: 'string',
      currentSnapshots: 'number',
      maxSnapshots: 'number',
      isLocked: 'boolean',
      isBlocked: 'boolean',
      isCustomerLocked: 'boolean',
      availabilityZone: 'string',
    }
    for (const v of all)
      for (const [field, type] of Object.entries(shape))
        if (typeof v[field] !== type) t.fail(`${v.name}.${field} is not a ${type}`)
    t.ok(
      all.every((v) =>
        ['created', 'installing', 'running', 'stopped', 'paused'].includes(v.status as string),
      ),
    )
    t.ok(all.every((v) => Array.isArray(v.tags)))
    t.match(all[1], {
      name: 'example-vps1',
      description: 'web 1',
      status: 'stopped',
      availabilityZone: 'ams0',
      ipAddress: '192.0.2.2',
    })
    // Without page parameters: every VPS at once (gotransip GetAll).
    t.equal(((await get('/vps', body.token!)).body.vpss as unknown[]).length, 12)
  })

  t.test('a bad credential: 401 with `{"error": …}`', async (t) => {
    const c = sim.issueCredential()
    const other = sim.issueCredential()
    const res = await requestToken(c.login!, other.privateKey!)
    t.equal(res.status, 401)
    t.match(res.body, { error: String })
    t.same(Object.keys(res.body), ['error'])
    const noToken = await get('/vps', 'not.a.token')
    t.equal(noToken.status, 401)
    t.match(noToken.body, { error: String })
  })

  t.test('a VPS ordered and cancelled as gotransip does it; the list follows', async (t) => {
    const servers: SimServer[] = [0, 1].map((i) => ({
      providerServerId: `example-vps${i}`,
      name: `web ${i}`,
      status: 'running',
      region: 'ams0',
      ipv4: `192.0.2.${i + 1}`,
    }))
    const c = sim.issueCredential({ servers })
    const api = clientFor('transip', { baseUrl: sim.url, credentials: c })
    sim.clearRequests()
    const name = await api.create('cl-write-1')
    t.equal(name, `${c.login}-vps1`, 'TransIP names it after the login')
    t.same(await api.list(), ['web 0', 'web 1', 'cl-write-1'])
    await api.remove(name)
    t.same(await api.list(), ['web 0', 'web 1'], 'gone after an immediate cancellation')
    const writes = sim.requests.filter((r) => r.method !== 'GET')
    t.same(
      writes.map((r) => [r.method, r.path, r.credential]),
      [
        ['POST', '/v6/auth', c.login],
        ['POST', '/v6/vps', c.login],
        ['DELETE', `/v6/vps/${name}`, c.login],
      ],
    )
    t.match(JSON.parse(writes[1]!.body), { productName: String, description: 'cl-write-1' })
    t.same(JSON.parse(writes[2]!.body), { endTime: 'immediately' })
  })

  t.test('the statuses gotransip expects; a read-only token may not order', async (t) => {
    const c = sim.issueCredential({ servers: [] })
    const { body } = await requestToken(c.login!, c.privateKey!)
    const call = async (method: string, path: string, payload: unknown, token = body.token!) => {
      const res = await fetch(`${sim.url}/v6${path}`, {
        method,
        headers: { ...JSON_HEADERS, authorization: `Bearer ${token}` },
        body: JSON.stringify(payload),
      })
      const text = await res.text()
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null }
    }
    t.same(await call('POST', '/vps', { productName: 'vps-bladevps-x4', description: 'x' }), {
      status: 201,
      body: null,
    })
    t.match(await call('POST', '/vps', { description: 'no product' }), {
      status: 406,
      body: { error: String },
    })
    const vps = `${c.login}-vps1`
    t.same(await call('DELETE', `/vps/${vps}`, { endTime: 'end' }), { status: 204, body: null })
    t.equal(
      ((await get('/vps', body.token!)).body.vpss as unknown[]).length,
      1,
      'until the end of the term',
    )
    t.match(await call('DELETE', `/vps/${vps}`, { endTime: 'now' }), { status: 406 })
    t.match(await call('DELETE', '/vps/nope', { endTime: 'immediately' }), { status: 404 })
    // A token asked for with read_only: true reads, and may not order.
    const roBody = JSON.stringify({
      login: c.login,
      nonce: randomBytes(8).toString('hex'),
      read_only: true,
      expiration_time: '1 hour',
      global_key: true,
    })
    const ro = await fetch(`${sim.url}/v6/auth`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, Signature: signWithKey(roBody, c.privateKey!) },
      body: roBody,
    })
    const { token } = (await ro.json()) as { token: string }
    t.equal((await get('/vps', token)).status, 200)
    t.same(await call('POST', '/vps', { productName: 'vps-bladevps-x1' }, token), {
      status: 403,
      body: { error: 'This is a read-only token' },
    })
  })
})
