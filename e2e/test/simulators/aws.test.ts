import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import t from 'tap'
import { startSimulator, type Credentials } from '../../src/simulators/index.js'
import {
  canonicalRequest,
  parseAuthorization,
  payloadHash,
  signRequest,
  verifySignature,
  type SignableRequest,
} from '../../src/simulators/providers/aws/sigv4.js'
import { awsParse } from '../helpers/signed.js'

// Vendored byte-exact with their licences: e2e/fixtures/signing-vectors/README.md.
const VECTORS = resolve(import.meta.dirname, '../../fixtures/signing-vectors')
const SUITE = join(VECTORS, 'aws-sigv4')

/** A signed request from the suite, as the simulator would receive it (headers lower-cased). */
function received(text: string): SignableRequest {
  const [head = '', ...rest] = text.split('\n\n')
  const [requestLine = '', ...lines] = head.split('\n')
  const [, method = '', target = ''] = /^(\S+) (.*) HTTP\/1\.1$/.exec(requestLine) ?? []
  const headers: Record<string, string> = {}
  let last = ''
  for (const line of lines) {
    if (!line) continue
    if (/^\s/.test(line)) headers[last] += ` ${line.trim()}`
    else {
      const colon = line.indexOf(':')
      last = line.slice(0, colon).toLowerCase()
      const value = line.slice(colon + 1)
      headers[last] = headers[last] === undefined ? value : `${headers[last]},${value}`
    }
  }
  const q = target.indexOf('?')
  const query = (q < 0 ? '' : target.slice(q + 1))
    .split('&')
    .filter(Boolean)
    .map((pair): [string, string] => {
      const eq = pair.indexOf('=')
      return eq < 0
        ? [decodeURIComponent(pair), '']
        : [decodeURIComponent(pair.slice(0, eq)), decodeURIComponent(pair.slice(eq + 1))]
    })
  return {
    method,
    path: q < 0 ? target : target.slice(0, q),
    query,
    headers,
    body: rest.join('\n\n'),
  }
}

t.test('the verifier accepts every normalized suite case and refuses a changed byte', async (t) => {
  t.ok(existsSync(SUITE), `vectors at ${SUITE}`)
  const names = readdirSync(SUITE).filter((n) => statSync(join(SUITE, n)).isDirectory())
  t.equal(names.length, 38)
  for (const name of names) {
    const context = JSON.parse(readFileSync(join(SUITE, name, 'context.json'), 'utf8')) as {
      normalize: boolean
      credentials: { secret_access_key: string }
    }
    // AWS services other than S3 normalize paths; the unnormalized cases are S3-style signing.
    if (!context.normalize) continue
    const req = received(readFileSync(join(SUITE, name, 'header-signed-request.txt'), 'utf8'))
    const auth = parseAuthorization(req.headers.authorization)
    if (!auth) throw new Error(`${name}: no Authorization`)
    const secret = context.credentials.secret_access_key
    t.equal(
      canonicalRequest(
        req,
        auth.signedHeaders,
        req.headers['x-amz-content-sha256'] ?? payloadHash(req),
      ),
      readFileSync(join(SUITE, name, 'header-canonical-request.txt'), 'utf8'),
      `${name}: canonical request`,
    )
    t.ok(verifySignature(req, auth, secret), `${name}: accepted`)
    t.notOk(verifySignature(req, auth, `${secret.slice(0, -1)}X`), `${name}: other secret`)
    const host = { ...req, headers: { ...req.headers, host: 'example.amazonaws.co' } }
    t.notOk(verifySignature(host, auth, secret), `${name}: changed header`)
    t.notOk(verifySignature({ ...req, method: `${req.method}X` }, auth, secret), `${name}: method`)
  }
})

t.test('aws', async (t) => {
  const sim = await startSimulator('aws')
  t.teardown(() => sim.close())
  t.beforeEach(() => sim.clearLimits())

  /** The app's way: a form-encoded POST to the root, signed for `service`. */
  async function post(
    c: Credentials,
    body: string,
    opts: { service?: string; region?: string; at?: Date; tamper?: string } = {},
  ) {
    const url = new URL(sim.url)
    const headers = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }
    const signed = signRequest(
      { method: 'POST', path: '/', query: [], headers: { ...headers, host: url.host }, body },
      {
        accessKeyId: c.accessKeyId ?? '',
        secretAccessKey: c.secretAccessKey ?? '',
        ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
      },
      {
        region: opts.region ?? 'us-east-1',
        service: opts.service ?? (body.includes('DescribeInstances') ? 'ec2' : 'sts'),
      },
      opts.at ?? new Date(),
    )
    const res = await fetch(sim.url, {
      method: 'POST',
      headers: { ...headers, ...signed },
      body: opts.tamper ?? body,
    })
    const text = await res.text()
    return { status: res.status, headers: res.headers, text, body: awsParse(text) }
  }
  const IDENTITY = 'Action=GetCallerIdentity&Version=2011-06-15'
  const INSTANCES = 'Action=DescribeInstances&Version=2016-11-15'

  t.test('GetCallerIdentity names the account; JSON when asked for it', async (t) => {
    const c = sim.issueCredential({ identity: { id: '123456789012', name: 'Alice' } })
    const res = await post(c, IDENTITY)
    t.equal(res.status, 200)
    t.same(res.body, {
      account: '123456789012',
      arn: 'arn:aws:iam::123456789012:user/alice',
      instanceIds: [],
    })
    t.match(res.text, /<UserId>AIDA[A-Z2-7]{17}<\/UserId>/)
    const json = await fetch(`${sim.url}/?${IDENTITY}`, {
      headers: {
        accept: 'application/json',
        ...signRequest(
          {
            method: 'GET',
            path: '/',
            query: [...new URLSearchParams(IDENTITY)],
            headers: { accept: 'application/json', host: new URL(sim.url).host },
            body: '',
          },
          { accessKeyId: c.accessKeyId!, secretAccessKey: c.secretAccessKey! },
          { region: 'us-east-1', service: 'sts' },
          new Date(),
        ),
      },
    })
    t.match(await json.json(), {
      GetCallerIdentityResponse: { GetCallerIdentityResult: { Account: '123456789012' } },
    })
  })

  t.test('signatures are checked for real', async (t) => {
    const c = sim.issueCredential()
    const last = c.secretAccessKey!.endsWith('A') ? 'B' : 'A'
    const wrong = { ...c, secretAccessKey: `${c.secretAccessKey!.slice(0, -1)}${last}` }
    const mismatch = {
      code: 'SignatureDoesNotMatch',
      message: /does not match the signature you provided/,
    }
    t.match(await post(wrong, IDENTITY), { status: 403, body: mismatch })
    t.match(await post(c, IDENTITY, { tamper: `${IDENTITY}&x=1` }), { status: 403, body: mismatch })
    t.match(await post(c, IDENTITY, { service: 'ec2' }), {
      status: 403,
      body: {
        code: 'SignatureDoesNotMatch',
        message: "Credential should be scoped to correct service: 'sts'. ",
      },
    })
    t.match(await post(c, IDENTITY, { region: 'eu-west-1' }), {
      status: 403,
      body: { message: 'Credential should be scoped to a valid region. ' },
    })
  })

  t.test('a signature more than 15 minutes off the simulator clock is refused', async (t) => {
    const c = sim.issueCredential()
    const old = new Date(Date.now() - 16 * 60_000)
    const res = await post(c, IDENTITY, { at: old })
    t.match(res, {
      status: 403,
      body: { code: 'SignatureDoesNotMatch', message: /^Signature expired: / },
    })
    t.match(await post(c, INSTANCES, { at: old }), {
      status: 400,
      body: { code: 'RequestExpired' },
    })
    sim.advanceClock(20 * 60)
    t.teardown(() => sim.advanceClock(-20 * 60))
    const skewed = await post(c, IDENTITY)
    t.equal(skewed.status, 403, 'our clock now lags the simulator by 20 min')
    const simNow = new Date(skewed.headers.get('date') ?? '')
    t.ok(Math.abs(simNow.getTime() - Date.now() - 20 * 60_000) < 5000, 'Date is simulator time')
    t.equal((await post(c, IDENTITY, { at: simNow })).status, 200, 'signing with its time works')
  })

  t.test(
    'DescribeInstances: per region, paginated, DryRun, and the missing permission',
    async (t) => {
      const servers = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((x, i) => ({
        providerServerId: `i-0000000000000000${x}`,
        name: `web-${x}`,
        status: 'running',
        region: i < 6 ? 'eu-west-1b' : 'us-east-1a',
        ipv4: null,
      }))
      const c = sim.issueCredential({ servers })
      const page1 = await post(c, `${INSTANCES}&MaxResults=5`, { region: 'eu-west-1' })
      t.same((page1.body as { instanceIds: string[] }).instanceIds.length, 5)
      const token = /<nextToken>([^<]+)<\/nextToken>/.exec(page1.text)?.[1]
      const page2 = await post(c, `${INSTANCES}&MaxResults=5&NextToken=${token}`, {
        region: 'eu-west-1',
      })
      t.same((page2.body as { instanceIds: string[] }).instanceIds, ['i-0000000000000000f'])
      t.same((await post(c, INSTANCES)).body, {
        account: undefined,
        arn: undefined,
        instanceIds: ['i-0000000000000000g'],
      })
      t.match(await post(c, `${INSTANCES}&DryRun=true`), {
        status: 412,
        body: { code: 'DryRunOperation' },
      })
      const denied = sim.issueCredential({ scopes: 'insufficient' })
      t.equal((await post(denied, IDENTITY)).status, 200, 'STS needs no permission')
      t.match(await post(denied, `${INSTANCES}&DryRun=true`), {
        status: 403,
        body: { code: 'UnauthorizedOperation' },
      })
    },
  )

  t.test('temporary ASIA keys need their session token, signed', async (t) => {
    const c = {
      accessKeyId: 'ASIAQ2SIMULATEDTEMP1',
      secretAccessKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCD',
      sessionToken: 'FwoGZXIvYXdzEXAMPLEsessionTOKEN==',
    }
    sim.registerCredential(c)
    t.equal((await post(c, IDENTITY)).status, 200)
    const invalid = { code: 'InvalidClientTokenId' }
    t.match(await post({ ...c, sessionToken: '' }, IDENTITY), { status: 403, body: invalid })
    t.match(await post({ ...c, sessionToken: 'other' }, IDENTITY), { status: 403, body: invalid })
  })

  t.test(
    'GetSessionToken mints a temporary key for the same account, until it expires',
    async (t) => {
      const c = sim.issueCredential({ identity: { id: '123456789012' } })
      const tag = (text: string, name: string) =>
        new RegExp(`<${name}>([^<]*)</${name}>`).exec(text)?.[1] ?? ''
      const minted = await post(c, 'Action=GetSessionToken&Version=2011-06-15&DurationSeconds=900')
      t.equal(minted.status, 200, 'minted')
      const session = {
        accessKeyId: tag(minted.text, 'AccessKeyId'),
        secretAccessKey: tag(minted.text, 'SecretAccessKey'),
        sessionToken: tag(minted.text, 'SessionToken'),
      }
      t.match(session.accessKeyId, /^ASIA[A-Z2-7]{16}$/)
      const expires = Date.parse(tag(minted.text, 'Expiration'))
      t.ok(Math.abs(expires - Date.now() - 900_000) < 60_000, 'expires after DurationSeconds')

      const who = await post(session, IDENTITY)
      t.equal(who.status, 200, 'the session key works')
      t.match(who.body, { account: '123456789012' }, 'for the account that minted it')
      t.match(await post({ ...session, sessionToken: 'other' }, IDENTITY), {
        status: 403,
        body: { code: 'InvalidClientTokenId' },
      })
      t.match(await post(session, 'Action=GetSessionToken&Version=2011-06-15'), {
        status: 403,
        body: { code: 'AccessDenied' },
      })
      t.match(await post(c, 'Action=GetSessionToken&Version=2011-06-15&DurationSeconds=60'), {
        status: 400,
        body: { code: 'ValidationError' },
      })

      sim.advanceClock(901)
      const later = new Date(Date.now() + 901_000)
      t.match(await post(session, IDENTITY, { at: later }), {
        status: 400,
        body: { code: 'ExpiredToken' },
      })
      t.equal(
        (await post(c, IDENTITY, { at: later })).status,
        200,
        'the long-lived key still works',
      )
    },
  )
})
