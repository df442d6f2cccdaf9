import { bearerAuth, bearerToken } from '../auth.js'
import { ALNUM, chars, digits, ipv4, pick, serverName } from '../generate.js'
import { json } from '../http.js'
import type { Account, AuthResult, ProviderSpec, SimRequest } from '../spec.js'
import type { SimServer } from '../types.js'
import { createOAuthServer, withOAuth, type OAuthFlavor } from './oauth-server.js'
import { aggregatedInstances, GCP_SIM_PROJECT, googleError, ZONES } from './gcp-compute.js'
import { instanceRoutes } from './gcp-instances.js'

export { GCP_SIM_PROJECT } from './gcp-compute.js'

/**
 * Google Cloud (https://cloud.google.com/resource-manager/reference/rest) on one origin, told apart by path: the consent screen
 * (`accounts.google.com/o/oauth2/v2/auth`), the token server (`oauth2.googleapis.com/token`,
 * `/tokeninfo`, `/revoke`), Resource Manager (`/v1/projects`) and Compute Engine (`/compute/v1/…`).
 *
 * One project every user may read; each user sees their own instances in it. The `serviceDisabled`
 * setting (`PUT /__sim-oauth/settings`) answers project calls with the SERVICE_DISABLED trap.
 */

export const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform'
const TOKEN_CHARS = `${ALNUM}-_`

export const gcpOAuthFlavor: OAuthFlavor = {
  seed: 'gcp',
  authorizePath: '/o/oauth2/v2/auth',
  tokenPath: '/token',
  revokePath: '/revoke',
  refresh: 'keep',
  accessTokenTtl: 3599,
  tokenType: 'Bearer',
  defaultScope: `${CLOUD_PLATFORM} openid email`,
  code: (rng) => `4/0${chars(rng, TOKEN_CHARS, 70)}`,
  accessToken: (rng) => `ya29.${chars(rng, TOKEN_CHARS, 150)}`,
  refreshToken: (rng) => `1//0${chars(rng, TOKEN_CHARS, 100)}`,
  coversApi: (scope) => scope.split(/\s+/).some((s) => s.startsWith(CLOUD_PLATFORM)),
  // cloud-platform.read-only alone covers the API for reading only.
  readOnly: (scope) => !scope.split(/\s+/).includes(CLOUD_PLATFORM),
  redirectExtras: ({ scope }) => ({ scope, authuser: '0', prompt: 'consent' }),
  tokenError: (status, error, description) =>
    json(status, { error, error_description: description }),
}

const server = createOAuthServer(gcpOAuthFlavor, {
  newServer: (rng, i) => newInstance(rng, i),
  newIdentityId: (rng) => digits(rng, 21),
})

function newInstance(rng: Parameters<ProviderSpec['newServer']>[0], i: number): SimServer {
  return {
    providerServerId: digits(rng, 19),
    name: serverName(rng, i),
    status: pick(rng, ['RUNNING', 'RUNNING', 'TERMINATED']),
    region: pick(rng, ZONES),
    ipv4: ipv4(rng),
  }
}

const invalidToken = () => json(400, { error: 'invalid_token', error_description: 'Invalid Value' })

/**
 * tokeninfo takes the token as `access_token` in the query or a form body, or as a bearer token
 * (google-auth-library's getTokenInfo POSTs an empty form with `Authorization: Bearer`).
 */
const tokeninfoToken = (req: SimRequest) =>
  req.url.searchParams.get('access_token') ??
  new URLSearchParams(req.body).get('access_token') ??
  bearerToken(req)

/** Whatever the token (unknown, expired, revoked), tokeninfo answers 400 invalid_token. */
function tokeninfoAuth(
  req: SimRequest,
  find: (key: string) => Account | undefined,
  now: number,
): AuthResult {
  const token = tokeninfoToken(req)
  if (!token) return { credential: null, reject: invalidToken() }
  const found = server.lookup(req, token, now)
  const account = found?.grant.account ?? find(token)
  return account ? { credential: token, account } : { credential: token, reject: invalidToken() }
}

const isTokeninfo = (path: string) => path === '/tokeninfo' || path === '/oauth2/v3/tokeninfo'

function tokeninfo(req: SimRequest, account: Account, now: number) {
  const token = tokeninfoToken(req)
  const found = token ? server.lookup(req, token, now) : null
  const expiresAt = found?.expiresAt ?? now + 3599 * 1000
  const scope =
    found?.grant.scope ?? `${CLOUD_PLATFORM} openid https://www.googleapis.com/auth/userinfo.email`
  const clientId = found?.grant.clientId ?? 'sim-client.apps.googleusercontent.com'
  const email = /\bemail\b/.test(scope)
  return json(200, {
    azp: clientId,
    aud: clientId,
    sub: account.identity.id,
    scope,
    exp: String(Math.floor(expiresAt / 1000)),
    expires_in: String(Math.max(0, Math.floor((expiresAt - now) / 1000))),
    ...(email ? { email: account.identity.email, email_verified: 'true' } : {}),
    access_type: 'offline',
  })
}

const serviceDisabled = () =>
  googleError(
    403,
    'PERMISSION_DENIED',
    `Cloud Resource Manager API has not been used in project ${GCP_SIM_PROJECT.projectNumber} before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/cloudresourcemanager.googleapis.com/overview?project=${GCP_SIM_PROJECT.projectNumber} then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.`,
    {
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'SERVICE_DISABLED',
          domain: 'googleapis.com',
          metadata: {
            consumer: `projects/${GCP_SIM_PROJECT.projectNumber}`,
            service: 'cloudresourcemanager.googleapis.com',
          },
        },
      ],
    },
  )

const gcpApi: ProviderSpec = {
  id: 'gcp',
  fields: ['token'],
  generateCredential: (rng) => ({ token: `ya29.${chars(rng, TOKEN_CHARS, 150)}` }),
  authenticate: (req, find, now) =>
    isTokeninfo(req.url.pathname) ? tokeninfoAuth(req, find, now) : bearerAuth(req, find),
  routes: [
    {
      method: 'GET',
      path: '/tokeninfo',
      handle: ({ req, account, now }) => tokeninfo(req, account, now),
    },
    {
      method: 'POST',
      path: '/tokeninfo',
      handle: ({ req, account, now }) => tokeninfo(req, account, now),
    },
    {
      method: 'GET',
      path: '/oauth2/v3/tokeninfo',
      handle: ({ req, account, now }) => tokeninfo(req, account, now),
    },
    {
      method: 'GET',
      path: '/v1/projects',
      scope: 'cloud-platform',
      handle: ({ req }) =>
        server.setting(req, 'serviceDisabled') === true
          ? serviceDisabled()
          : json(200, {
              projects: [
                {
                  projectNumber: GCP_SIM_PROJECT.projectNumber,
                  projectId: GCP_SIM_PROJECT.projectId,
                  lifecycleState: 'ACTIVE',
                  name: 'Sim Project',
                  createTime: '2024-03-01T09:30:00.000Z',
                },
              ],
            }),
    },
    {
      method: 'GET',
      path: '/compute/v1/projects/:project/aggregated/instances',
      scope: 'compute.readonly',
      handle: ({ req, params, account }) => {
        if (params.project !== GCP_SIM_PROJECT.projectId)
          return googleError(
            404,
            'NOT_FOUND',
            `The resource 'projects/${params.project}' was not found`,
          )
        return aggregatedInstances(req.url.searchParams, account.servers)
      },
    },
    ...instanceRoutes,
  ],
  errors: {
    unauthorized: () =>
      googleError(
        401,
        'UNAUTHENTICATED',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
        {
          headers: {
            'www-authenticate':
              'Bearer realm="https://accounts.google.com/", error="invalid_token"',
          },
        },
      ),
    forbidden: () =>
      googleError(403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.', {
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
            domain: 'googleapis.com',
          },
        ],
      }),
    notFound: () => googleError(404, 'NOT_FOUND', 'Requested entity was not found.'),
    rateLimited: (rate) =>
      googleError(429, 'RESOURCE_EXHAUSTED', "Quota exceeded for quota metric 'Read requests'.", {
        headers: { 'retry-after': String(rate.retryAfter) },
      }),
    serverError: (status) =>
      googleError(
        status,
        status === 503 ? 'UNAVAILABLE' : 'INTERNAL',
        'Internal error encountered.',
      ),
  },
  rateLimit: { limit: 600, windowSeconds: 60, per: 'credential' },
  newServer: newInstance,
  newIdentityId: (rng) => digits(rng, 21),
  demo: {
    good: { token: `ya29.${'600d'.repeat(30)}` },
    revoked: { token: `ya29.${'dead'.repeat(30)}` },
    slow: { token: `ya29.${'5105'.repeat(30)}` },
  },
}

const withServer = withOAuth(gcpApi, server)

/** tokeninfo judges the token itself, before the OAuth server's bearer check can answer 401. */
export const gcp: ProviderSpec = {
  ...withServer,
  authenticate: (req, find, now) =>
    isTokeninfo(req.url.pathname)
      ? tokeninfoAuth(req, find, now)
      : withServer.authenticate(req, find, now),
}
