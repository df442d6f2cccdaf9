import { randomBytes, sign } from 'node:crypto'
import type { Credentials, Simulator } from '../../src/simulators/index.js'
import { ovhSignature } from '../../src/simulators/providers/ovh/index.js'
import { signRequest } from '../../src/simulators/providers/aws/sigv4.js'

/** How a client signs requests to the signed-scheme simulators (AWS, OVH, TransIP). */

const headersOf = (init: RequestInit) => ({ ...(init.headers as Record<string, string>) })

const EC2_ACTIONS = ['DescribeInstances', 'DescribeRegions', 'RunInstances', 'TerminateInstances']

/** SigV4 over the request as sent; the `Action` (query or form body) picks the service. */
export function awsSend(
  sim: Simulator,
  path: string,
  c: Credentials | undefined,
  init: RequestInit,
) {
  const url = new URL(sim.url + path)
  const headers = headersOf(init)
  if (c) {
    const body = typeof init.body === 'string' ? new URLSearchParams(init.body) : null
    const action = url.searchParams.get('Action') ?? body?.get('Action') ?? ''
    const service = EC2_ACTIONS.includes(action) ? 'ec2' : 'sts'
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]))
    Object.assign(
      headers,
      signRequest(
        {
          method: init.method ?? 'GET',
          path: url.pathname,
          query: [...url.searchParams],
          headers: { ...lower, host: url.host },
          body: (init.body as string | undefined) ?? '',
        },
        {
          accessKeyId: c.accessKeyId ?? '',
          secretAccessKey: c.secretAccessKey ?? '',
          ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
        },
        { region: c.region ?? 'us-east-1', service },
        new Date(),
      ),
    )
  }
  return fetch(url, { ...init, headers })
}

const tag = (text: string, name: string) =>
  [...text.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1] as string)

/** AWS XML, reduced to what tests compare: request ids change on every answer. */
export function awsParse(text: string): unknown {
  const [code] = tag(text, 'Code')
  if (code) return { code, message: tag(text, 'Message')[0] }
  return {
    account: tag(text, 'Account')[0],
    arn: tag(text, 'Arn')[0],
    instanceIds: tag(text, 'instanceId'),
  }
}

/** OVH's `X-Ovh-*` headers for `method` on the full URL, at `timestamp` (default: now). */
export function ovhHeaders(
  c: Credentials,
  method: string,
  url: string,
  body = '',
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const ts = String(timestamp)
  return {
    'X-Ovh-Application': c.applicationKey ?? '',
    'X-Ovh-Consumer': c.consumerKey ?? '',
    'X-Ovh-Timestamp': ts,
    'X-Ovh-Signature': ovhSignature(
      c.applicationSecret ?? '',
      c.consumerKey ?? '',
      method,
      url,
      body,
      ts,
    ),
  }
}

export function ovhSend(
  sim: Simulator,
  path: string,
  c: Credentials | undefined,
  init: RequestInit,
) {
  const url = sim.url + path
  const method = init.method ?? 'GET'
  const body = (init.body as string | undefined) ?? ''
  const headers = { ...headersOf(init), ...(c ? ovhHeaders(c, method, url, body) : {}) }
  return fetch(url, { ...init, headers })
}

/** A signed `/v6/auth` body for `c`, as the official clients build it. */
export function transipAuth(c: Credentials, overrides: Record<string, unknown> = {}) {
  const body = JSON.stringify({
    login: c.login,
    nonce: randomBytes(16).toString('hex'),
    read_only: true,
    expiration_time: '30 seconds',
    label: `test-${randomBytes(6).toString('hex')}`,
    global_key: true,
    ...overrides,
  })
  let signature = 'not-a-signature'
  try {
    signature = sign('sha512', Buffer.from(body), c.privateKey ?? '').toString('base64')
  } catch {
    // A deliberately damaged key (an "unknown" credential) sends a signature that cannot verify.
  }
  return { body, signature }
}

/**
 * Trades the key pair for a token, then makes the call with it. The exchange is left out of the
 * request log when it succeeds, so the log reads one entry per call as for the other providers;
 * a refused exchange is the answer, and stays logged.
 */
export async function transipSend(
  sim: Simulator,
  path: string,
  c: Credentials | undefined,
  init: RequestInit,
) {
  if (!c) return fetch(sim.url + path, init)
  const before = sim.requests.length
  const { body, signature } = transipAuth(c)
  const auth = await fetch(`${sim.url}/v6/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', signature },
    body,
    ...(init.signal ? { signal: init.signal } : {}),
  })
  if (auth.status !== 201) return auth
  const { token } = (await auth.json()) as { token: string }
  sim.requests.splice(before, 1)
  return fetch(sim.url + path, {
    ...init,
    headers: { ...headersOf(init), authorization: `Bearer ${token}` },
  })
}
