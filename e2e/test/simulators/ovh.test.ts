import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import t from 'tap'
import { startSimulator, type Credentials, type Simulator } from '../../src/simulators/index.js'
import { ovhSignature } from '../../src/simulators/providers/ovh/index.js'
import { ovhHeaders } from '../helpers/signed.js'

// Vendored byte-exact with their licences: e2e/fixtures/signing-vectors/README.md.
const VECTORS = resolve(import.meta.dirname, '../../fixtures/signing-vectors')

interface Vector {
  name: string
  applicationSecret: string
  consumerKey: string
  method: string
  url: string
  body: string
  timestamp: number
  expected: string
}

t.test('the verifier reproduces every official OVH signature', async (t) => {
  const cases = JSON.parse(
    readFileSync(join(VECTORS, 'ovh', 'signatures.json'), 'utf8'),
  ) as Vector[]
  t.equal(cases.length, 11)
  for (const c of cases) {
    const sign = (o: Partial<Vector>) => {
      const x = { ...c, ...o }
      return ovhSignature(
        x.applicationSecret,
        x.consumerKey,
        x.method,
        x.url,
        x.body,
        String(x.timestamp),
      )
    }
    t.equal(sign({}), c.expected, c.name)
    t.not(sign({ consumerKey: `${c.consumerKey}x` }), c.expected, `${c.name}: consumer key`)
    t.not(sign({ method: c.method === 'GET' ? 'PUT' : 'GET' }), c.expected, `${c.name}: method`)
  }
})

/** Signed GET (or POST with a body) as `c`, at simulator time plus `skew` seconds. */
async function call(
  sim: Simulator,
  c: Credentials,
  path: string,
  opts: { method?: string; body?: string; at?: number } = {},
) {
  const url = sim.url + path
  const method = opts.method ?? 'GET'
  const res = await fetch(url, {
    method,
    headers: {
      ...ovhHeaders(c, method, url, opts.body ?? '', opts.at),
      ...(opts.body ? { 'content-type': 'application/json' } : {}),
    },
    ...(opts.body ? { body: opts.body } : {}),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & unknown[] }
}

t.test('ovh-eu', async (t) => {
  const sim = await startSimulator('ovh-eu')
  t.teardown(() => sim.close())

  t.test('/1.0/auth/time: no auth, a bare integer on the simulator clock', async (t) => {
    const res = await fetch(`${sim.url}/1.0/auth/time`)
    const time = (await res.json()) as number
    t.ok(Number.isInteger(time) && Math.abs(time - Date.now() / 1000) < 5)
    sim.advanceClock(600)
    t.teardown(() => sim.advanceClock(-600))
    const later = (await (await fetch(`${sim.url}/1.0/auth/time`)).json()) as number
    t.ok(later - time >= 599)

    const c = sim.issueCredential()
    t.match(await call(sim, c, '/1.0/me'), { status: 400, body: { errorCode: 'QUERY_TIME_OUT' } })
    t.equal((await call(sim, c, '/1.0/me', { at: later })).status, 200, 'signed with its time')
  })

  t.test('wrong secret, changed URL or body: INVALID_SIGNATURE', async (t) => {
    const c = sim.issueCredential()
    const bad = {
      errorCode: 'INVALID_SIGNATURE',
      httpCode: '400 Bad Request',
      message: 'Invalid signature',
    }
    t.same(await call(sim, { ...c, applicationSecret: 'x'.repeat(32) }, '/1.0/me'), {
      status: 400,
      body: bad,
    })
    const url = `${sim.url}/1.0/me`
    const res = await fetch(`${url}?x=1`, { headers: ovhHeaders(c, 'GET', url) })
    t.equal(res.status, 400)
    t.match(await res.json(), bad)
  })

  t.test('keys of the other subsidiary are INVALID_KEY', async (t) => {
    const ca = await startSimulator('ovh-ca')
    t.teardown(() => ca.close())
    const c = ca.issueCredential()
    t.equal((await call(ca, c, '/1.0/me')).status, 200)
    t.match(await call(sim, c, '/1.0/me'), { status: 403, body: { errorCode: 'INVALID_KEY' } })
  })

  t.test('insufficient keys may read /me but not the servers', async (t) => {
    const c = sim.issueCredential({ scopes: 'insufficient' })
    const cred = await call(sim, c, '/1.0/auth/currentCredential')
    t.match(cred.body, { status: 'validated', rules: [{ method: 'GET', path: '/me' }] })
    t.equal((await call(sim, c, '/1.0/me')).status, 200)
    t.same(await call(sim, c, '/1.0/dedicated/server'), {
      status: 403,
      body: {
        errorCode: 'NOT_GRANTED_CALL',
        httpCode: '403 Forbidden',
        message: 'This call has not been granted',
      },
    })
  })

  t.test('identity and server details', async (t) => {
    const c = sim.issueCredential({
      identity: { id: 'ab12345-ovh', name: 'Ada Lovelace', email: 'ada@example.com' },
      servers: [
        {
          providerServerId: 'ns1.ip-192-0-2.eu',
          name: 'db',
          status: 'poweron',
          region: 'gra3',
          ipv4: '192.0.2.9',
        },
      ],
    })
    t.match((await call(sim, c, '/1.0/me')).body, {
      nichandle: 'ab12345-ovh',
      firstname: 'Ada',
      name: 'Lovelace',
      email: 'ada@example.com',
    })
    t.same((await call(sim, c, '/1.0/dedicated/server')).body, ['ns1.ip-192-0-2.eu'])
    t.match((await call(sim, c, '/1.0/dedicated/server/ns1.ip-192-0-2.eu')).body, {
      name: 'ns1.ip-192-0-2.eu',
      ip: '192.0.2.9',
      datacenter: 'gra3',
      powerState: 'poweron',
      iam: { displayName: 'db' },
    })
    t.equal((await call(sim, c, '/1.0/dedicated/server/nope')).status, 404)
  })

  t.test(
    'consumer keys through the real flow: pending, validated with rules, refused, expired',
    async (t) => {
      const app = sim.issueCredential()
      const request = async (rules: { method: string; path: string }[]) => {
        const res = await fetch(`${sim.url}/1.0/auth/credential`, {
          method: 'POST',
          headers: { 'X-Ovh-Application': app.applicationKey!, 'content-type': 'application/json' },
          body: JSON.stringify({ accessRules: rules }),
        })
        return (await res.json()) as { validationUrl: string; consumerKey: string; state: string }
      }
      const pending = await request([{ method: 'GET', path: '/dedicated/server*' }])
      t.equal(pending.state, 'pendingValidation')
      const c = { ...app, consumerKey: pending.consumerKey }
      t.match((await call(sim, c, '/1.0/auth/currentCredential')).body, {
        status: 'pendingValidation',
      })
      t.match(await call(sim, c, '/1.0/dedicated/server'), {
        status: 403,
        body: { errorCode: 'INVALID_CREDENTIAL' },
      })

      t.equal((await fetch(pending.validationUrl)).status, 200)
      t.match((await call(sim, c, '/1.0/auth/currentCredential')).body, { status: 'validated' })
      t.equal((await call(sim, c, '/1.0/dedicated/server')).status, 200)
      t.match(await call(sim, c, '/1.0/me'), {
        status: 403,
        body: { errorCode: 'NOT_GRANTED_CALL' },
      })

      const refused = await request([{ method: 'GET', path: '/*' }])
      await fetch(`${refused.validationUrl}&refuse=1`)
      t.match(
        (
          await call(
            sim,
            { ...app, consumerKey: refused.consumerKey },
            '/1.0/auth/currentCredential',
          )
        ).body,
        { status: 'refused' },
      )

      const shortLived = await request([{ method: 'GET', path: '/*' }])
      await fetch(`${shortLived.validationUrl}&expiresIn=60`)
      const s = { ...app, consumerKey: shortLived.consumerKey }
      t.equal((await call(sim, s, '/1.0/me')).status, 200)
      sim.advanceClock(61)
      t.teardown(() => sim.advanceClock(-61))
      const later = Math.floor(Date.now() / 1000) + 61
      t.match((await call(sim, s, '/1.0/auth/currentCredential', { at: later })).body, {
        status: 'expired',
      })
      t.match(await call(sim, s, '/1.0/me', { at: later }), {
        status: 403,
        body: { errorCode: 'INVALID_CREDENTIAL' },
      })
      t.match(await call(sim, { ...app, consumerKey: 'Z'.repeat(32) }, '/1.0/me', { at: later }), {
        status: 403,
        body: { errorCode: 'NOT_CREDENTIAL' },
      })
    },
  )
})
