import {
  createHash,
  createHmac,
  createSecretKey,
  type KeyObject,
  timingSafeEqual,
} from 'node:crypto'

/**
 * AWS Signature Version 4 as the simulator checks it: written from the spec with node:crypto,
 * independently of the AWS SDK signer the app uses, so a bug shared by both cannot hide. Proven
 * against the aws-c-auth test suite in test/simulators/aws.test.ts.
 */

export interface SignableRequest {
  method: string
  /** Decoded path; it is normalized and percent-encoded here, as every service but S3 does. */
  path: string
  /** Decoded query pairs, in any order. */
  query: [string, string][]
  /** Lower-case names. */
  headers: Record<string, string>
  body: Buffer | string
}

export interface Authorization {
  accessKeyId: string
  date: string
  region: string
  service: string
  signedHeaders: string[]
  signature: string
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex')
/** Binary keys as KeyObjects: Node 24's createHmac takes a slow path (a type probe that throws,
 * about 30 µs) for a Buffer key. */
const hmac = (key: Buffer | string, data: string) =>
  createHmac('sha256', typeof key === 'string' ? key : createSecretKey(key))
    .update(data)
    .digest()

/** RFC 3986 encoding of the UTF-8 bytes, keeping only `A-Za-z0-9-_.~` (and `/` in paths). */
export function uriEncode(text: string, keepSlash = false): string {
  let out = ''
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte)
    if (/[A-Za-z0-9\-_.~]/.test(ch) || (keepSlash && ch === '/')) out += ch
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/** Removes `.` and `..` segments and empty segments, keeping a trailing slash. */
export function normalizePath(path: string): string {
  const segments: string[] = []
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue
    if (segment === '..') segments.pop()
    else segments.push(segment)
  }
  const trailing = path.endsWith('/') && segments.length > 0 ? '/' : ''
  return `/${segments.join('/')}${trailing}`
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

export function canonicalRequest(
  req: SignableRequest,
  signedHeaders: string[],
  payloadHash: string,
): string {
  const query = req.query
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]))
    .map(([k, v]) => `${k}=${v}`)
    .join('&')
  const headers = signedHeaders
    .map((name) => `${name}:${(req.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('')
  const path = uriEncode(normalizePath(req.path), true)
  return [req.method, path, query, headers, signedHeaders.join(';'), payloadHash].join('\n')
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n')
}

/**
 * Signing keys derived so far, by secret and scope: a key serves a whole day's requests, and
 * deriving it (four HMACs) for every request cost the simulator more than answering it.
 */
const signingKeys = new Map<string, KeyObject>()
const MAX_KEYS = 10_000

function signingKey(secret: string, auth: Pick<Authorization, 'date' | 'region' | 'service'>) {
  const id = `${auth.date}/${auth.region}/${auth.service}/${secret}`
  let key = signingKeys.get(id)
  if (!key) {
    let raw = hmac(`AWS4${secret}`, auth.date)
    for (const part of [auth.region, auth.service, 'aws4_request']) raw = hmac(raw, part)
    if (signingKeys.size >= MAX_KEYS) signingKeys.clear()
    signingKeys.set(id, (key = createSecretKey(raw)))
  }
  return key
}

export function signature(
  secret: string,
  auth: Pick<Authorization, 'date' | 'region' | 'service'>,
  sts: string,
) {
  return createHmac('sha256', signingKey(secret, auth)).update(sts).digest('hex')
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/

export function parseAuthorization(header: string | undefined): Authorization | null {
  const m = AUTHORIZATION.exec(header?.trim() ?? '')
  if (!m) return null
  const [, accessKeyId = '', date = '', region = '', service = '', signed = '', sig = ''] = m
  return { accessKeyId, date, region, service, signedHeaders: signed.split(';'), signature: sig }
}

/** What the request's own `x-amz-content-sha256` claims must be what the body hashes to. */
export const payloadHash = (req: SignableRequest) => sha256(req.body)

/** Recomputes the signature of a received request with the secret the simulator knows. */
export function verifySignature(req: SignableRequest, auth: Authorization, secret: string) {
  const amzDate = req.headers['x-amz-date'] ?? ''
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`
  const claimed = req.headers['x-amz-content-sha256']
  const hash = payloadHash(req)
  if (claimed !== undefined && claimed !== hash) return false
  const canonical = canonicalRequest(req, auth.signedHeaders, hash)
  const expected = Buffer.from(signature(secret, auth, stringToSign(amzDate, scope, canonical)))
  const given = Buffer.from(auth.signature)
  return expected.length === given.length && timingSafeEqual(expected, given)
}

/** Signs like a client would (every header given is signed); for tests and demo tooling. */
export function signRequest(
  req: SignableRequest,
  creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  scope: { region: string; service: string },
  at: Date,
): Record<string, string> {
  const amzDate = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
  const added: Record<string, string> = { 'x-amz-date': amzDate }
  if (creds.sessionToken) added['x-amz-security-token'] = creds.sessionToken
  const headers = { ...req.headers, ...added }
  const signedHeaders = Object.keys(headers).sort()
  const auth = { accessKeyId: creds.accessKeyId, date: amzDate.slice(0, 8), ...scope }
  const scopeText = `${auth.date}/${scope.region}/${scope.service}/aws4_request`
  const canonical = canonicalRequest({ ...req, headers }, signedHeaders, payloadHash(req))
  const sig = signature(creds.secretAccessKey, auth, stringToSign(amzDate, scopeText, canonical))
  return {
    ...added,
    authorization: `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scopeText}, SignedHeaders=${signedHeaders.join(';')}, Signature=${sig}`,
  }
}
