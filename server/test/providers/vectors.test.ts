import { createPublicKey, verify } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import t from 'tap'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import { signerInit, signRequest, type AwsCredentials } from '../../src/providers/aws/sign.js'
import { ovhSignature } from '../../src/providers/ovh/sign.js'
import { readPrivateKey, signAuthBody } from '../../src/providers/transip/sign.js'

/**
 * The signers against the published known-answer tests, every case of every suite. The vectors
 * are byte-exact files vendored in e2e/fixtures/signing-vectors (see its README for sources and licences).
 */
// Vendored byte-exact with their licences: e2e/fixtures/signing-vectors/README.md.
const VECTORS = resolve(import.meta.dirname, '../../../e2e/fixtures/signing-vectors')
const read = (...path: string[]) => readFileSync(join(VECTORS, ...path), 'utf8')

t.ok(existsSync(VECTORS), `test vectors at ${VECTORS}`)

interface Context {
  credentials: { access_key_id: string; secret_access_key: string; token?: string }
  region: string
  service: string
  timestamp: string
  normalize: boolean
  sign_body: boolean
  omit_session_token?: boolean
}

/** request.txt: request line, `Name:value` headers (indented lines continue one), blank, body. */
function parseRequest(text: string) {
  const [head = '', ...rest] = text.split('\n\n')
  const [requestLine = '', ...headerLines] = head.split('\n')
  const [, method = '', target = ''] = /^(\S+) (.*) HTTP\/1\.1$/.exec(requestLine) ?? []
  const headers: [string, string][] = []
  for (const line of headerLines) {
    if (!line) continue
    const last = headers[headers.length - 1]
    if (/^\s/.test(line) && last) last[1] += ` ${line.trim()}`
    else {
      const colon = line.indexOf(':')
      headers.push([line.slice(0, colon), line.slice(colon + 1)])
    }
  }
  const q = target.indexOf('?')
  return {
    method,
    path: q < 0 ? target : target.slice(0, q),
    rawQuery: q < 0 ? '' : target.slice(q + 1),
    headers,
    body: rest.length ? rest.join('\n\n') : undefined,
  }
}

/** Queries arrive raw or encoded; the signer wants decoded values (it encodes them itself). */
function parseQuery(raw: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {}
  for (const pair of raw ? raw.split('&') : []) {
    const eq = pair.indexOf('=')
    const key = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq))
    const value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1))
    const prev = query[key]
    query[key] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value]
  }
  return query
}

/** Unnormalized cases keep the path as given; the signer then needs it already percent-encoded. */
const encodePath = (path: string) =>
  path
    .split('/')
    .map((s) =>
      encodeURIComponent(s).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/')

/** The library signer with the same settings, recording what it hashes. */
class TracingSigner extends SignatureV4 {
  canonicalRequest = ''
  stringToSign = ''
  protected override createCanonicalRequest(
    ...args: Parameters<SignatureV4['createCanonicalRequest']>
  ): string {
    this.canonicalRequest = super.createCanonicalRequest(...args)
    return this.canonicalRequest
  }
  protected override async createStringToSign(
    ...args: Parameters<SignatureV4['createStringToSign']>
  ): Promise<string> {
    this.stringToSign = await super.createStringToSign(...args)
    return this.stringToSign
  }
}

const awsCases = readdirSync(join(VECTORS, 'aws-sigv4')).filter((name) =>
  statSync(join(VECTORS, 'aws-sigv4', name)).isDirectory(),
)

t.test('AWS SigV4: every case of the aws-c-auth suite (header variant)', async (t) => {
  t.equal(awsCases.length, 38, 'all 38 case directories')
  for (const name of awsCases) {
    t.test(name, async (t) => {
      const ctx = JSON.parse(read('aws-sigv4', name, 'context.json')) as Context
      const req = parseRequest(read('aws-sigv4', name, 'request.txt'))
      const headers: Record<string, string> = {}
      for (const [key, value] of req.headers) {
        const existing = Object.keys(headers).find((k) => k.toLowerCase() === key.toLowerCase())
        if (existing) headers[existing] += `,${value.trim()}`
        else headers[key] = value
      }
      const host = req.headers.find(([k]) => k.toLowerCase() === 'host')?.[1] ?? ''
      const request = new HttpRequest({
        method: req.method,
        protocol: 'https:',
        hostname: host,
        path: ctx.normalize ? req.path : encodePath(req.path),
        query: parseQuery(req.rawQuery),
        headers,
        ...(req.body === undefined ? {} : { body: req.body }),
      })
      const token = ctx.credentials.token
      const credentials: AwsCredentials = {
        accessKeyId: ctx.credentials.access_key_id,
        secretAccessKey: ctx.credentials.secret_access_key,
        // omit_session_token: the token is added after signing, so it is not signed.
        ...(token && !ctx.omit_session_token ? { sessionToken: token } : {}),
      }
      const scope = { region: ctx.region, service: ctx.service }
      const opts = { signBody: ctx.sign_body, normalizePath: ctx.normalize }
      const date = new Date(ctx.timestamp)

      const signed = await signRequest(request, credentials, scope, date, opts)
      if (token && ctx.omit_session_token) signed.headers['X-Amz-Security-Token'] = token

      const expected = read('aws-sigv4', name, 'header-signed-request.txt')
      const authorization = /^Authorization:(.*)$/m.exec(expected)?.[1]
      t.equal(signed.headers.authorization, authorization, 'Authorization')
      t.equal(
        /Signature=([0-9a-f]{64})$/.exec(signed.headers.authorization ?? '')?.[1],
        read('aws-sigv4', name, 'header-signature.txt').trim(),
        'signature',
      )
      for (const added of ['X-Amz-Date', 'X-Amz-Security-Token', 'x-amz-content-sha256']) {
        const want = new RegExp(`^${added}:(.*)$`, 'mi').exec(expected)?.[1]
        const got = Object.entries(signed.headers).find(
          ([k]) => k.toLowerCase() === added.toLowerCase(),
        )
        t.equal(got?.[1], want, `${added} header`)
      }

      const tracer = new TracingSigner(signerInit(credentials, scope, opts))
      await tracer.sign(request, { signingDate: date })
      t.equal(tracer.canonicalRequest, read('aws-sigv4', name, 'header-canonical-request.txt'))
      t.equal(tracer.stringToSign, read('aws-sigv4', name, 'header-string-to-sign.txt'))
    })
  }
})

interface OvhCase {
  name: string
  applicationSecret: string
  consumerKey: string
  method: string
  url: string
  body: string
  timestamp: number
  expected: string
}

t.test('OVH: every signature of go-ovh / python-ovh / php-ovh', async (t) => {
  const cases = JSON.parse(read('ovh', 'signatures.json')) as OvhCase[]
  t.equal(cases.length, 11)
  for (const c of cases) {
    const sign = (o: Partial<OvhCase> = {}) => {
      const x = { ...c, ...o }
      return ovhSignature(x.applicationSecret, x.consumerKey, x.method, x.url, x.body, x.timestamp)
    }
    t.equal(sign(), c.expected, c.name)
    t.not(sign({ timestamp: c.timestamp + 1 }), c.expected, `${c.name}: timestamp is signed`)
    t.not(sign({ url: `${c.url}?x=1` }), c.expected, `${c.name}: query is signed`)
    t.not(sign({ body: `${c.body} ` }), c.expected, `${c.name}: body is signed`)
  }
})

interface TransipCase {
  name: string
  keyFile: string
  body: string
  expected: string
}

t.test('TransIP: gotransip TestSignWithKey', async (t) => {
  const cases = JSON.parse(read('transip', 'cases.json')) as TransipCase[]
  t.equal(cases.length, 1)
  for (const c of cases) {
    const pem = read('transip', c.keyFile)
    const reading = readPrivateKey(pem)
    if ('problem' in reading) throw new Error(reading.problem)
    t.equal(signAuthBody(c.body, reading.key), c.expected, c.name)
    t.equal(signAuthBody(c.body, pem), c.expected, 'from the PEM text too')
    const pub = createPublicKey(read('transip', 'signature.pub'))
    const sig = Buffer.from(c.expected, 'base64')
    t.ok(verify('sha512', Buffer.from(c.body), pub, sig), 'verifies with signature.pub')
    t.notOk(verify('sha512', Buffer.from(c.body.replace('test-user', 'test-usex')), pub, sig))
  }
})
