import { HttpRequest } from '@smithy/protocol-http'
import { conflict } from '../../errors.js'
import type { BrokerScheme } from '../core/broker.js'
import { UnreachableError, unreachable } from '../core/http.js'
import { callAws, credentialFailure, NAME } from './client.js'
import { credentialsOf, type Creds } from './credentials.js'
import { awsOrigins, DEFAULT_REGION, ec2Origin } from './regions.js'
import { signRequest, type SigningScope } from './sign.js'
import { child, textAt } from './xml.js'

/** `sts` is the global endpoint (signed for us-east-1); `ec2:<region>` the regional EC2 one. */
export function scopeOf(origin: string): SigningScope {
  if (origin === 'sts') return { service: 'sts', region: DEFAULT_REGION }
  return { service: 'ec2', region: origin.slice('ec2:'.length) }
}

/**
 * The service and region an SDK signed its request for, from the credential scope of its own SigV4
 * header (`Credential=<key>/<date>/<region>/<service>/aws4_request`); the key is a dummy and the
 * signature is thrown away. Mapped onto a known origin or nothing.
 */
export function originFromSignature(authorization: string | undefined): string | undefined {
  const scope = /Credential=[^/,\s]+\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/.exec(
    authorization ?? '',
  )
  if (!scope) return undefined
  const [, region, service] = scope as unknown as [string, string, string]
  const origin = service === 'sts' ? 'sts' : service === 'ec2' ? ec2Origin(region) : undefined
  return origin && origin in awsOrigins ? origin : undefined
}

/**
 * The caller's request re-signed with the stored key for the origin's service and region, by the
 * same signer as every other AWS call (./sign.ts). SigV4 covers the body's hash, so the broker
 * hands the body over whole.
 */
export const broker: BrokerScheme<Creds> = {
  defaultOrigin: ec2Origin(DEFAULT_REGION),
  origins: Object.keys(awsOrigins),
  signsBody: true,
  originFromRequest: (headers) => originFromSignature(headers.authorization),
  async authorize(_ctx, c, req) {
    const query: Record<string, string | string[]> = {}
    for (const [name, value] of req.url.searchParams) {
      const seen = query[name]
      query[name] = seen === undefined ? value : [seen, value].flat()
    }
    const request = new HttpRequest({
      method: req.method,
      protocol: req.url.protocol,
      hostname: req.url.hostname,
      ...(req.url.port ? { port: Number(req.url.port) } : {}),
      path: req.url.pathname,
      query,
      // Every header that is sent is signed (the signer skips the ones proxies may change).
      headers: { ...req.headers, host: req.url.host },
      ...(req.body ? { body: req.body } : {}),
    })
    const signed = await signRequest(request, credentialsOf(c), scopeOf(req.origin), new Date())
    for (const [name, value] of Object.entries(signed.headers))
      if (name.toLowerCase() !== 'host') req.headers[name.toLowerCase()] = value
  },
  async session(ctx, c, durationSeconds) {
    // AWS refuses GetSessionToken with session credentials; say so before asking.
    if (c.sessionToken)
      throw conflict(
        'This account holds temporary (ASIA…) credentials; AWS mints no session from a session',
      )
    const answer = await callAws(ctx, credentialsOf(c), 'sts', DEFAULT_REGION, {
      Action: 'GetSessionToken',
      DurationSeconds: String(durationSeconds),
    })
    if (!answer.doc) throw credentialFailure(answer)
    const creds = child(child(answer.doc, 'GetSessionTokenResult'), 'Credentials')
    const accessKeyId = textAt(creds, 'AccessKeyId')
    const secretAccessKey = textAt(creds, 'SecretAccessKey')
    const sessionToken = textAt(creds, 'SessionToken')
    const expiration = Date.parse(textAt(creds, 'Expiration') ?? '')
    if (!accessKeyId || !secretAccessKey || !sessionToken || Number.isNaN(expiration))
      throw new UnreachableError(
        unreachable('server_error', `${NAME} sent a session that could not be read`),
      )
    return {
      accessKeyId,
      secretAccessKey,
      sessionToken,
      expiresAt: new Date(expiration).toISOString(),
    }
  },
}
