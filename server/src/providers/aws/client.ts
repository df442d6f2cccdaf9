import { UnreachableError, unreachable, type ProviderResponse } from '../core/http.js'
import { rejected, unexpected } from '../core/outcome.js'
import type { ProviderContext } from '../core/types.js'
import { DEFAULT_REGION, ec2Origin } from './regions.js'
import { signQueryCall, type AwsCredentials } from './sign.js'
import { child, parseXml, textAt, XmlError, type XmlNode } from './xml.js'

export const NAME = 'Amazon Web Services'

export interface AwsError {
  code: string
  message: string
}

const API_VERSION = { sts: '2011-06-15', ec2: '2016-11-15' } as const
export type AwsService = keyof typeof API_VERSION

/** STS answers `<ErrorResponse><Error>`, EC2 `<Response><Errors><Error>`. */
export function errorOf(res: ProviderResponse): AwsError | undefined {
  try {
    const doc = parseXml(res.text)
    const error = child(doc, 'Error') ?? child(child(doc, 'Errors'), 'Error')
    const code = textAt(error, 'Code')
    return code ? { code, message: textAt(error, 'Message') ?? '' } : undefined
  } catch {
    return undefined
  }
}

/** Our clock, not the credential: AWS refuses signatures more than 15 minutes off its own time. */
const isClockSkew = (e: AwsError) =>
  ['RequestExpired', 'RequestTimeTooSkewed', 'RequestInTheFuture'].includes(e.code) ||
  (e.code === 'SignatureDoesNotMatch' && /signature (expired|not yet current)/i.test(e.message))

const THROTTLED = ['Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequests']

export interface AwsAnswer {
  res: ProviderResponse
  /** The parsed body of a 200. */
  doc?: XmlNode
  error?: AwsError
}

/**
 * One signed Query-protocol call. A clock-skew refusal is retried once, signed with the time from
 * the answer's Date header (as the AWS SDKs do): that is a correction, not a second login attempt.
 */
export async function callAws(
  ctx: ProviderContext,
  credentials: AwsCredentials,
  service: AwsService,
  region: string,
  params: Record<string, string>,
): Promise<AwsAnswer> {
  // STS is called on its global endpoint, which only accepts signatures scoped to us-east-1.
  const scope = { service, region: service === 'sts' ? DEFAULT_REGION : region }
  const origin = service === 'sts' ? 'sts' : ec2Origin(region)
  const url = new URL(ctx.http.url(origin, '/'))
  const body = new URLSearchParams({ ...params, Version: API_VERSION[service] }).toString()
  let offsetMs = 0
  for (let attempt = 0; ; attempt++) {
    const headers = await signQueryCall(
      url,
      body,
      credentials,
      scope,
      new Date(Date.now() + offsetMs),
    )
    const res = await ctx.http.request(origin, url.pathname, {
      method: 'POST',
      // STS answers JSON to `Accept: application/json`; EC2 only speaks XML. Ask both for XML.
      headers: { ...headers, accept: 'text/xml' },
      body,
    })
    if (res.status === 200) return { res, doc: parseBody(res) }
    const error = errorOf(res)
    if (error && isClockSkew(error)) {
      const serverNow = Date.parse(res.headers.get('date') ?? '')
      if (attempt === 0 && !Number.isNaN(serverNow)) {
        offsetMs = serverNow - Date.now()
        continue
      }
      throw new UnreachableError(
        unreachable(
          'server_error',
          `${NAME} refused the request time (${error.code}); check this server's clock`,
        ),
      )
    }
    if (error && THROTTLED.includes(error.code))
      throw new UnreachableError(
        unreachable('rate_limited', `${NAME} is throttling requests (${error.code})`),
      )
    return { res, ...(error ? { error } : {}) }
  }
}

function parseBody(res: ProviderResponse): XmlNode {
  try {
    return parseXml(res.text)
  } catch (err: unknown) {
    if (err instanceof XmlError)
      throw new UnreachableError(
        unreachable('server_error', `${NAME} sent a response that could not be read`),
      )
    throw err
  }
}

/** Refusals every call can get; anything not listed here is not a verdict on the key. */
export function credentialFailure(answer: AwsAnswer): Error {
  const { res, error } = answer
  const code = error?.code ?? ''
  const detail = error?.message ? ` (${code}: ${error.message})` : code ? ` (${code})` : ''
  switch (code) {
    case 'InvalidClientTokenId':
    case 'AuthFailure':
      return rejected(
        `${NAME} does not recognise this access key${detail}; it may have been deleted or deactivated, or it belongs to another partition (GovCloud, China)`,
        res,
        code,
      )
    case 'SignatureDoesNotMatch':
      return rejected(
        `${NAME} says the secret access key does not belong to this access key ID${detail}`,
        res,
        code,
      )
    case 'ExpiredToken':
    case 'TokenRefreshRequired':
      return rejected(
        `The temporary credentials (session token) have expired${detail}; issue new ones`,
        res,
        code,
      )
    case 'UnrecognizedClientException':
    case 'InvalidToken':
      return rejected(`${NAME} refused the session token${detail}`, res, code)
    case 'OptInRequired':
      return rejected(
        `The account is not subscribed to EC2 or the region is not enabled${detail}`,
        res,
        code,
      )
    default:
      return unexpected(NAME, res)
  }
}
