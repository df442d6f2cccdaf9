import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import t from 'tap'
import { startSimulator, type Credentials } from '../../src/simulators/index.js'
import { transipAuth } from '../helpers/signed.js'

// Vendored byte-exact with their licences: e2e/fixtures/signing-vectors/README.md.
const VECTORS = resolve(import.meta.dirname, '../../fixtures/signing-vectors')

t.test('transip', async (t) => {
  const sim = await startSimulator('transip')
  t.teardown(() => sim.close())

  const auth = (body: string, signature?: string) =>
    fetch(`${sim.url}/v6/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signature ? { signature } : {}) },
      body,
    })
  async function login(c: Credentials, overrides: Record<string, unknown> = {}) {
    const { body, signature } = transipAuth(c, overrides)
    const res = await auth(body, signature)
    return { status: res.status, body: (await res.json()) as { token?: string; error?: string } }
  }
  const get = async (path: string, token: string) => {
    const res = await fetch(sim.url + path, { headers: { authorization: `Bearer ${token}` } })
    return { status: res.status, body: (await res.json()) as Record<string, unknown> }
  }

  t.test('accepts the gotransip known-answer signature, refuses one changed byte', async (t) => {
    const [vector] = JSON.parse(readFileSync(join(VECTORS, 'transip', 'cases.json'), 'utf8')) as {
      login: string
      body: string
      expected: string
    }[]
    sim.registerCredential({
      login: vector!.login,
      privateKey: readFileSync(join(VECTORS, 'transip', 'signature.key'), 'utf8'),
    })
    const changed = vector!.body.replace('98475920834', '98475920835')
    t.equal((await auth(changed, vector!.expected)).status, 401)
    t.equal((await auth(vector!.body, vector!.expected)).status, 201)
    t.match(await (await auth(vector!.body, vector!.expected)).json(), {
      error: 'This nonce has already been used',
    })
  })

  t.test('key pair → token → api-test and vps; the token carries the customer', async (t) => {
    const c = sim.issueCredential({ identity: { id: '60449' } })
    const res = await login(c)
    t.equal(res.status, 201)
    const payload = JSON.parse(Buffer.from(res.body.token!.split('.')[1]!, 'base64url').toString())
    t.match(payload, { iss: 'api.transip.nl', cid: '60449', ro: true, gk: true })
    t.equal(payload.exp - payload.iat, 30)
    t.same(await get('/v6/api-test', res.body.token!), { status: 200, body: { ping: 'pong' } })
    const vps = await get('/v6/vps', res.body.token!)
    t.match(vps.body, {
      vpss: [{ name: String, description: String, status: String, availabilityZone: String }],
    })
  })

  t.test('refusals: another key, missing parts, bad lifetime, no API access', async (t) => {
    const c = sim.issueCredential()
    const other = sim.issueCredential()
    t.same(await login({ ...c, privateKey: other.privateKey! }), {
      status: 401,
      body: { error: 'Authentication failed' },
    })
    const { body } = transipAuth(c)
    t.match(await (await auth(body)).json(), { error: 'Please specify a signature in the header' })
    t.match(await login(c, { nonce: '' }), {
      status: 400,
      body: { error: 'Please specify a nonce in the body' },
    })
    t.match(await login(c, { expiration_time: 'forever' }), { status: 400 })
    const closed = sim.issueCredential({ scopes: 'insufficient' })
    t.same(await login(closed), {
      status: 409,
      body: { error: 'Authentication failed, API is not enabled for customer' },
    })
  })

  t.test('tokens expire, may be whitelist-only, and die with the key pair', async (t) => {
    const c = sim.issueCredential()
    const short = (await login(c)).body.token!
    const local = (await login(c, { global_key: false })).body.token!
    t.match(await get('/v6/api-test', local), { status: 403, body: { error: /whitelisted/ } })
    sim.advanceClock(31)
    t.teardown(() => sim.advanceClock(-31))
    t.same(await get('/v6/api-test', short), {
      status: 401,
      body: { error: 'Your access token has expired.' },
    })
    const fresh = (await login(c, { expiration_time: '1 hour' })).body.token!
    sim.revoke(c)
    t.same(await get('/v6/vps', fresh), {
      status: 401,
      body: { error: 'Your access token has been revoked.' },
    })
    t.equal((await get('/v6/vps', 'not.a.token')).status, 401)
  })
})
