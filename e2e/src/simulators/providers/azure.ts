import { bearerAuth } from '../auth.js'
import {
  ALNUM,
  chars,
  ipv4,
  pastDate,
  pick,
  randomRng,
  seededRng,
  serverName,
  uuid,
  type Rng,
} from '../generate.js'
import { json } from '../http.js'
import type { Account, ProviderSpec, RouteContext } from '../spec.js'
import type { SimServer } from '../types.js'
import { armError, resourceGroupRoutes } from './azure-groups.js'
import { createOAuthServer, withOAuth, type OAuthFlavor } from './oauth-server.js'

/**
 * Microsoft Azure (https://learn.microsoft.com/en-us/rest/api/azure/): Entra ID's OAuth server (`login.microsoftonline.com`,
 * `/{tenant}/oauth2/v2.0/…`) and Azure Resource Manager (`management.azure.com`, `/subscriptions…`)
 * on one origin, told apart by path. Access tokens are JWTs whose `tid`/`oid` name the user.
 *
 * The simulated directory has one tenant and one subscription that every user may read; each user
 * sees their own virtual machines in it, and writes resource groups (./azure-groups.ts).
 * `access: { compute: 'read' }` is a user with the Reader role (providers/access/).
 */

export const AZURE_SIM_TENANT = uuid(seededRng('azure-sim-tenant'))
export const AZURE_SIM_SUBSCRIPTION = uuid(seededRng('azure-sim-subscription'))
const B64URL = `${ALNUM}-_`
const REGIONS = ['westeurope', 'northeurope', 'germanywestcentral', 'eastus', 'uksouth']

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
const jwt = (rng: Rng, claims: object) =>
  `${b64({ typ: 'JWT', alg: 'RS256', kid: 'sim-signing-key' })}.${b64(claims)}.${chars(rng, B64URL, 86)}`

/** Entra's token errors carry an AADSTS number in front of the text and in `error_codes`. */
const AADSTS: Record<string, number> = {
  invalid_client: 7000215,
  invalid_grant: 70000,
  invalid_request: 900144,
  unsupported_grant_type: 70003,
}

export const azureOAuthFlavor: OAuthFlavor = {
  seed: 'azure',
  authorizePath: '/:tenant/oauth2/v2.0/authorize',
  tokenPath: '/:tenant/oauth2/v2.0/token',
  refresh: 'renew',
  accessTokenTtl: 3599,
  tokenType: 'Bearer',
  defaultScope: 'https://management.azure.com/user_impersonation offline_access',
  code: (rng) => `1.A${chars(rng, B64URL, 120)}`,
  accessToken: (rng, grant, expiresAt) =>
    jwt(rng, {
      aud: 'https://management.azure.com',
      iss: `https://sts.windows.net/${AZURE_SIM_TENANT}/`,
      iat: Math.floor(Date.now() / 1000),
      nbf: Math.floor(Date.now() / 1000),
      exp: Math.floor(expiresAt / 1000),
      appid: grant.clientId,
      name: grant.account.identity.name,
      oid: grant.account.identity.id,
      scp: 'user_impersonation',
      tid: AZURE_SIM_TENANT,
      unique_name: grant.account.identity.email,
      upn: grant.account.identity.email,
      ver: '1.0',
      uti: chars(rng, B64URL, 22),
    }),
  refreshToken: (rng) => `0.A${chars(rng, B64URL, 300)}`,
  coversApi: (scope) => /management\.azure\.com\/user_impersonation|\.default/.test(scope),
  redirectExtras: () => ({ session_state: uuid(randomRng()) }),
  tokenError: (status, error, description) => {
    const code = AADSTS[error] ?? 90000
    return json(status, {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${uuid(randomRng())}`,
      error_codes: [code],
      timestamp: new Date()
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z'),
      trace_id: uuid(randomRng()),
      correlation_id: uuid(randomRng()),
    })
  },
  expiredToken: () =>
    armError(
      401,
      'ExpiredAuthenticationToken',
      `The access token expiry UTC time '${new Date(Date.now() - 60_000).toUTCString()}' is earlier than current UTC time '${new Date().toUTCString()}'.`,
    ),
}

const subscription = {
  id: `/subscriptions/${AZURE_SIM_SUBSCRIPTION}`,
  authorizationSource: 'RoleBased',
  managedByTenants: [],
  subscriptionId: AZURE_SIM_SUBSCRIPTION,
  tenantId: AZURE_SIM_TENANT,
  displayName: 'Sim Subscription',
  state: 'Enabled',
  subscriptionPolicies: {
    locationPlacementId: 'Public_2014-09-01',
    quotaId: 'PayAsYouGo_2014-09-01',
    spendingLimit: 'Off',
  },
}

function toVm(s: SimServer, statusOnly: boolean) {
  const rng = seededRng(s.providerServerId)
  return {
    name: s.name,
    id: `/subscriptions/${AZURE_SIM_SUBSCRIPTION}/resourceGroups/SIM-RG/providers/Microsoft.Compute/virtualMachines/${s.name}`,
    type: 'Microsoft.Compute/virtualMachines',
    location: s.region,
    properties: {
      vmId: s.providerServerId,
      hardwareProfile: { vmSize: pick(rng, ['Standard_B1s', 'Standard_B2s', 'Standard_D2s_v5']) },
      provisioningState: 'Succeeded',
      timeCreated: pastDate(rng),
      ...(statusOnly
        ? {
            instanceView: {
              statuses: [
                {
                  code: 'ProvisioningState/succeeded',
                  level: 'Info',
                  displayStatus: 'Provisioning succeeded',
                },
                { code: `PowerState/${s.status}`, level: 'Info', displayStatus: `VM ${s.status}` },
              ],
            },
          }
        : {}),
    },
  }
}

/**
 * ARM pages a list with an absolute `nextLink` (carrying `$skiptoken`) until the last page, which
 * has none. The page size is ARM's choice, not the client's; 50 here (UNCONFIRMED for VMs).
 */
const PAGE_SIZE = 50

function pagedList<T>(ctx: RouteContext, items: T[], render: (item: T) => unknown) {
  const query = ctx.req.url.searchParams
  const offset = Number(/^o(\d+)$/.exec(query.get('$skiptoken') ?? '')?.[1] ?? 0)
  const end = offset + PAGE_SIZE
  // The query as sent, `$skiptoken` replaced (ARM writes the dollar sign unencoded).
  const kept = [...query].filter(([name]) => name !== '$skiptoken')
  const search = new URLSearchParams(kept).toString()
  const nextLink = `${ctx.req.url.origin}${ctx.req.url.pathname}?${search}&$skiptoken=o${end}`
  const value = items.slice(offset, end).map(render)
  return json(200, { value, ...(end < items.length ? { nextLink } : {}) })
}

const needsApiVersion = (ctx: RouteContext) =>
  ctx.req.url.searchParams.get('api-version')
    ? null
    : armError(
        400,
        'MissingApiVersionParameter',
        'The api-version query parameter (?api-version=) is required for all requests.',
      )

/** A user without any role assignment sees no subscription (not an error); a Reader does. */
const visible = (account: Account) => (account.scopes === 'insufficient' ? [] : [subscription])

const server = createOAuthServer(azureOAuthFlavor, {
  newServer: (rng, i) => newVmServer(rng, i),
  newIdentityId: (rng) => uuid(rng),
})

function newVmServer(rng: Rng, i: number): SimServer {
  return {
    providerServerId: uuid(rng),
    name: serverName(rng, i),
    status: pick(rng, ['running', 'running', 'deallocated']),
    region: pick(rng, REGIONS),
    ipv4: ipv4(rng),
  }
}

const demoToken = (kind: string) => {
  const rng = seededRng(`azure-demo-${kind}`)
  return jwt(rng, {
    aud: 'https://management.azure.com',
    tid: AZURE_SIM_TENANT,
    oid: uuid(rng),
    demo: kind,
  })
}

const azureApi: ProviderSpec = {
  id: 'azure',
  fields: ['token'],
  generateCredential: (rng) => ({
    token: jwt(rng, { aud: 'https://management.azure.com', tid: AZURE_SIM_TENANT, oid: uuid(rng) }),
  }),
  authenticate: bearerAuth,
  routes: [
    {
      method: 'GET',
      path: '/subscriptions',
      handle: (ctx) =>
        needsApiVersion(ctx) ??
        json(200, {
          value: visible(ctx.account),
          count: { type: 'Total', value: visible(ctx.account).length },
        }),
    },
    {
      method: 'GET',
      path: '/subscriptions/:subscriptionId/providers/Microsoft.Compute/virtualMachines',
      scope: 'Microsoft.Compute/virtualMachines/read',
      handle: (ctx) => {
        const missing = needsApiVersion(ctx)
        if (missing) return missing
        if (ctx.params.subscriptionId !== AZURE_SIM_SUBSCRIPTION)
          return armError(
            404,
            'SubscriptionNotFound',
            `The subscription '${ctx.params.subscriptionId}' could not be found.`,
          )
        const statusOnly = ctx.req.url.searchParams.get('statusOnly') === 'true'
        return pagedList(ctx, ctx.account.servers, (s) => toVm(s, statusOnly))
      },
    },
    ...resourceGroupRoutes(AZURE_SIM_SUBSCRIPTION),
  ],
  errors: {
    unauthorized: () =>
      armError(401, 'InvalidAuthenticationToken', 'The access token is invalid.', {
        'www-authenticate':
          'Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="The access token is invalid."',
      }),
    forbidden: (_req, route) =>
      armError(
        403,
        'AuthorizationFailed',
        `The client does not have authorization to perform action '${route.scope ?? ''}' over scope '/subscriptions/${AZURE_SIM_SUBSCRIPTION}' or the scope is invalid.`,
      ),
    notFound: () => armError(404, 'NotFound', 'The requested resource was not found.'),
    rateLimited: (rate) =>
      armError(429, 'TooManyRequests', 'The request is being throttled.', {
        'retry-after': String(rate.retryAfter),
        'x-ms-ratelimit-remaining-subscription-reads': '0',
      }),
    serverError: (status) =>
      armError(status, 'InternalServerError', 'Encountered internal server error.'),
  },
  // ARM's token bucket: 250 reads, refilled at 25 per second.
  rateLimit: { limit: 250, windowSeconds: 10, per: 'credential' },
  headers: (_account, rate) => ({
    'x-ms-ratelimit-remaining-subscription-reads': String(rate.remaining),
  }),
  newServer: newVmServer,
  newIdentityId: (rng) => uuid(rng),
  demo: {
    good: { token: demoToken('good') },
    revoked: { token: demoToken('revoked') },
    slow: { token: demoToken('slow') },
  },
}

export const azure: ProviderSpec = withOAuth(azureApi, server)
