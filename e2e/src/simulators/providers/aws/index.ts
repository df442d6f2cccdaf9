import { randomUUID } from 'node:crypto'
import { ALNUM, chars, HEX, ipv4, pastDate, pick, seededRng, serverName } from '../../generate.js'
import { BadInput, json } from '../../http.js'
import type { ProviderSpec, RouteContext, SimResponse } from '../../spec.js'
import { authenticate, params, serviceOf } from './auth.js'
import { parseAuthorization } from './sigv4.js'
import { getSessionToken } from './session.js'
import { DEFAULT_REGIONS, OPT_IN_REGIONS, regionOfZone } from './regions.js'
import { awsError, ec2Error, escape, stsError } from './xml.js'
import type { SimServer } from '../../types.js'

/**
 * AWS STS GetCallerIdentity and GetSessionToken (./session.ts), and EC2 DescribeInstances
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/) on one origin: the
 * `Action` parameter tells the two services apart, as PROVIDER_URL_AWS sends both here. Every
 * request is SigV4-verified with the secret the simulator holds (./auth.ts, ./sigv4.ts).
 * `scopes: 'insufficient'` is a key without ec2:DescribeInstances (STS needs no permission).
 */

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
const SECRET = `${ALNUM}+/`
const regionOf = (s: SimServer) => regionOfZone(s.region)

function callerIdentity({ req, account }: RouteContext) {
  const { id, name } = account.identity
  const arn = `arn:aws:iam::${id}:user/${name.toLowerCase().replace(/[^a-z0-9+=,.@_-]+/g, '-')}`
  const userId = `AIDA${chars(seededRng(arn), BASE32, 17)}`
  if (req.headers.accept === 'application/json')
    return json(200, {
      GetCallerIdentityResponse: {
        GetCallerIdentityResult: { Account: id, Arn: arn, UserId: userId },
        ResponseMetadata: { RequestId: randomUUID() },
      },
    })
  return json(
    200,
    `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <GetCallerIdentityResult>\n    <Arn>${escape(arn)}</Arn>\n    <UserId>${userId}</UserId>\n    <Account>${escape(id)}</Account>\n  </GetCallerIdentityResult>\n  <ResponseMetadata>\n    <RequestId>${randomUUID()}</RequestId>\n  </ResponseMetadata>\n</GetCallerIdentityResponse>\n`,
    { 'content-type': 'text/xml' },
  )
}

function instanceXml(s: SimServer, owner: string) {
  const rng = seededRng(s.providerServerId)
  const code = s.status === 'running' ? 16 : s.status === 'stopped' ? 80 : 0
  return `<item><reservationId>r-${chars(rng, HEX, 17)}</reservationId><ownerId>${escape(owner)}</ownerId><groupSet/><instancesSet><item><instanceId>${escape(s.providerServerId)}</instanceId><imageId>ami-${chars(rng, HEX, 17)}</imageId><instanceState><code>${code}</code><name>${escape(s.status)}</name></instanceState><instanceType>t3.micro</instanceType><launchTime>${pastDate(rng)}</launchTime><placement><availabilityZone>${escape(s.region)}</availabilityZone><tenancy>default</tenancy></placement>${s.ipv4 ? `<ipAddress>${s.ipv4}</ipAddress>` : ''}<tagSet><item><key>Name</key><value>${escape(s.name)}</value></item></tagSet></item></instancesSet></item>`
}

function describeInstances({ req, account }: RouteContext) {
  const p = params(req)
  if (account.scopes === 'insufficient')
    return ec2Error(
      403,
      'UnauthorizedOperation',
      'You are not authorized to perform this operation.',
    )
  if (p.get('DryRun') === 'true')
    return ec2Error(412, 'DryRunOperation', 'Request would have succeeded, but DryRun flag is set.')
  const region = parseAuthorization(req.headers.authorization)?.region
  const all = account.servers.filter((s) => regionOf(s) === region)
  const size = Math.min(Math.max(Number(p.get('MaxResults')) || 1000, 5), 1000)
  const start = Number(p.get('NextToken') ?? 0) || 0
  const page = all.slice(start, start + size)
  const next = start + size < all.length ? `<nextToken>${start + size}</nextToken>` : ''
  return json(
    200,
    `<?xml version="1.0" encoding="UTF-8"?>\n<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${randomUUID()}</requestId><reservationSet>${page.map((s) => instanceXml(s, account.identity.id)).join('')}</reservationSet>${next}</DescribeInstancesResponse>`,
    { 'content-type': 'text/xml;charset=UTF-8' },
  )
}

/**
 * The account's regions: the default ones, plus an opt-in region once it is enabled (here: when the
 * account has an instance there). Without `AllRegions=true` only enabled regions are listed.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html
 */
function describeRegions({ req, account }: RouteContext) {
  if (account.scopes === 'insufficient')
    return ec2Error(
      403,
      'UnauthorizedOperation',
      'You are not authorized to perform this operation.',
    )
  const used = new Set(account.servers.map(regionOf))
  const all = params(req).get('AllRegions') === 'true'
  const items = [...DEFAULT_REGIONS, ...OPT_IN_REGIONS]
    .map((name) => ({
      name,
      status: DEFAULT_REGIONS.includes(name)
        ? 'opt-in-not-required'
        : used.has(name)
          ? 'opted-in'
          : 'not-opted-in',
    }))
    .filter((r) => all || r.status !== 'not-opted-in')
  const xml = items
    .map(
      (r) =>
        `<item><regionName>${r.name}</regionName><regionEndpoint>ec2.${r.name}.amazonaws.com</regionEndpoint><optInStatus>${r.status}</optInStatus></item>`,
    )
    .join('')
  return json(
    200,
    `<?xml version="1.0" encoding="UTF-8"?>\n<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${randomUUID()}</requestId><regionInfo>${xml}</regionInfo></DescribeRegionsResponse>`,
    { 'content-type': 'text/xml;charset=UTF-8' },
  )
}

const ACTIONS: Record<string, (ctx: RouteContext) => SimResponse> = {
  GetCallerIdentity: callerIdentity,
  GetSessionToken: getSessionToken,
  DescribeInstances: describeInstances,
  DescribeRegions: describeRegions,
}

function dispatch(ctx: RouteContext) {
  const action = params(ctx.req).get('Action')
  const handler = action && Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined
  const answer = handler
    ? handler(ctx)
    : awsError(serviceOf(ctx.req), 400, 'InvalidAction', `Could not find operation ${action ?? ''}`)
  // The Date header is what SDKs correct their clock by; it must be the simulator's time.
  return { ...answer, headers: { ...answer.headers, date: new Date(ctx.now).toUTCString() } }
}

export const aws: ProviderSpec = {
  id: 'aws',
  fields: ['accessKeyId', 'secretAccessKey'],
  generateCredential: (rng) => ({
    accessKeyId: `AKIA${chars(rng, BASE32, 16)}`,
    secretAccessKey: chars(rng, SECRET, 40),
  }),
  // Temporary keys carry their session token, which the simulator must know to check it.
  pickCredential(c) {
    const picked: Record<string, string> = {}
    for (const field of ['accessKeyId', 'secretAccessKey', 'sessionToken'])
      if (typeof c[field] === 'string' && c[field]) picked[field] = c[field]
      else if (field !== 'sessionToken') throw new BadInput(`credentials.${field} is required`)
    return picked
  },
  credentialKey: (c) => c.accessKeyId ?? '',
  authenticate,
  routes: [
    { method: 'POST', path: '/', handle: dispatch },
    { method: 'GET', path: '/', handle: dispatch },
  ],
  errors: {
    unauthorized: (req) =>
      !parseAuthorization(req.headers.authorization)
        ? awsError(
            serviceOf(req),
            403,
            'MissingAuthenticationToken',
            'Request is missing Authentication Token',
          )
        : serviceOf(req) === 'ec2'
          ? ec2Error(
              401,
              'AuthFailure',
              'AWS was not able to validate the provided access credentials',
            )
          : stsError(
              403,
              'InvalidClientTokenId',
              'The security token included in the request is invalid.',
            ),
    forbidden: () =>
      ec2Error(403, 'UnauthorizedOperation', 'You are not authorized to perform this operation.'),
    notFound: () => stsError(404, 'UnknownOperationException', 'Unknown operation'),
    // STS's throttling answer (a 400, UNCONFIRMED for STS); EC2 would send 503 RequestLimitExceeded.
    rateLimited: () => stsError(400, 'Throttling', 'Rate exceeded'),
    serverError: (status) =>
      status === 503
        ? stsError(503, 'ServiceUnavailable', 'Service is unable to handle request.', 'Receiver')
        : stsError(status, 'InternalFailure', 'An internal error occurred.', 'Receiver'),
  },
  // UNCONFIRMED: STS and EC2 quotas are per account and action; one generous window stands in.
  rateLimit: { limit: 100, windowSeconds: 1, per: 'credential' },
  newServer: (rng, i) => ({
    providerServerId: `i-${chars(rng, HEX, 17)}`,
    name: serverName(rng, i),
    status: pick(rng, ['running', 'running', 'stopped']),
    region: pick(rng, ['us-east-1a', 'us-east-1b', 'us-east-1d']),
    ipv4: ipv4(rng),
  }),
  newIdentityId: (rng) => chars(rng, '0123456789', 12),
  demo: {
    good: {
      accessKeyId: 'AKIADEMOGOODCLOUDLNK',
      secretAccessKey: 'cloudlinkDemoGoodSecretAccessKey/0000000',
    },
    revoked: {
      accessKeyId: 'AKIADEMOREVOKEDCLOUD',
      secretAccessKey: 'cloudlinkDemoRevokedSecretAccessKey/0000',
    },
    slow: {
      accessKeyId: 'AKIADEMOSLOWCLOUDLNK',
      secretAccessKey: 'cloudlinkDemoSlowSecretAccessKey/0000000',
    },
  },
}
