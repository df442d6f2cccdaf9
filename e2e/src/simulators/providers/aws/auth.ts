import type { Account, AuthResult, SimRequest } from '../../spec.js'
import { parseAuthorization, verifySignature, type SignableRequest } from './sigv4.js'
import { awsError, type Service } from './xml.js'
import { params } from './params.js'
import { sessionAccount } from './session.js'

/** AWS refuses signatures more than 15 minutes away from its own clock. */
const MAX_SKEW_MS = 15 * 60 * 1000

export { params } from './params.js'

export const serviceOf = (req: SimRequest): Service => {
  const action = params(req).get('Action')
  if (action === 'DescribeInstances' || action === 'DescribeRegions') return 'ec2'
  if (action === 'GetCallerIdentity' || action === 'GetSessionToken') return 'sts'
  return parseAuthorization(req.headers.authorization)?.service === 'ec2' ? 'ec2' : 'sts'
}

const amzTime = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '')

function parseAmzDate(value: string | undefined): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '')
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : null
}

function signable(req: SimRequest): SignableRequest {
  const path = req.url.pathname.split('/').map(decodeURIComponent).join('/')
  return {
    method: req.method,
    path,
    query: [...req.url.searchParams],
    headers: req.headers,
    body: req.rawBody,
  }
}

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'

/** The checks AWS makes before it answers, in its order; the first failure is the answer. */
export function authenticate(
  req: SimRequest,
  find: (k: string) => Account | undefined,
  now: number,
): AuthResult {
  const auth = parseAuthorization(req.headers.authorization)
  if (!auth) return { credential: null }
  const credential = auth.accessKeyId
  const session = find(credential) ? undefined : sessionAccount(credential, now)
  const account = find(credential) ?? (session === 'expired' ? undefined : session)
  const service = serviceOf(req)
  if (session === 'expired')
    return {
      credential,
      reject: awsError(
        service,
        400,
        'ExpiredToken',
        'The security token included in the request is expired',
      ),
    }
  if (!account) return { credential }
  const deny = (status: number, code: string, message: string): AuthResult => {
    const answer = awsError(service, status, code, message)
    // Clients correct their clock from this header, so it is the simulator's time.
    return {
      credential,
      reject: { ...answer, headers: { ...answer.headers, date: new Date(now).toUTCString() } },
    }
  }
  const token = req.headers['x-amz-security-token']
  const temporary = credential.startsWith('ASIA')
  if (temporary !== Boolean(token) || (token && token !== account.credentials.sessionToken))
    return deny(
      403,
      'InvalidClientTokenId',
      'The security token included in the request is invalid.',
    )
  if (
    !auth.signedHeaders.includes('host') ||
    (token && !auth.signedHeaders.includes('x-amz-security-token'))
  )
    return deny(
      400,
      'IncompleteSignature',
      "'Host' and 'X-Amz-Security-Token' must be signed headers.",
    )
  const signedAt = parseAmzDate(req.headers['x-amz-date'])
  if (signedAt === null || amzTime(signedAt).slice(0, 8) !== auth.date)
    return deny(
      400,
      'IncompleteSignature',
      'X-Amz-Date is missing or does not match the credential scope date.',
    )
  if (signedAt < now - MAX_SKEW_MS || signedAt > now + MAX_SKEW_MS) {
    if (service === 'ec2') return deny(400, 'RequestExpired', 'Request has expired.')
    const late = signedAt < now - MAX_SKEW_MS
    return deny(
      403,
      'SignatureDoesNotMatch',
      late
        ? `Signature expired: ${amzTime(signedAt)} is now earlier than ${amzTime(now - MAX_SKEW_MS)} (${amzTime(now)} - 15 min.)`
        : `Signature not yet current: ${amzTime(signedAt)} is still later than ${amzTime(now + MAX_SKEW_MS)} (${amzTime(now)} + 15 min.)`,
    )
  }
  if (auth.service !== service)
    return deny(
      403,
      'SignatureDoesNotMatch',
      `Credential should be scoped to correct service: '${service}'. `,
    )
  // The global STS endpoint only takes signatures scoped to us-east-1.
  if (service === 'sts' ? auth.region !== 'us-east-1' : !/^[a-z]{2}-[a-z]+-\d+$/.test(auth.region))
    return deny(403, 'SignatureDoesNotMatch', 'Credential should be scoped to a valid region. ')
  let request: SignableRequest
  try {
    request = signable(req)
  } catch {
    return deny(400, 'InvalidURI', 'The path is not valid percent-encoded UTF-8.')
  }
  if (!verifySignature(request, auth, account.credentials.secretAccessKey ?? ''))
    return deny(403, 'SignatureDoesNotMatch', SIGNATURE_MISMATCH)
  return { credential, account }
}
