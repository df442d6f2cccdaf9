import type { Identity, ServerInfo } from '@cloudlink/shared'
import { oauthConfigured } from '../core/oauth/apps.js'
import {
  grantCanonical,
  grantHint,
  validateGrant,
  type GrantCredentials,
} from '../core/oauth/grant.js'
import type { OAuthSpec } from '../core/oauth/spec.js'
import { defineProvider } from '../core/define.js'
import { probeAzure } from './probe.js'
import { expectJson, UnreachableError, unreachable, type ProviderResponse } from '../core/http.js'
import { rejected, RejectedError, unexpected } from '../core/outcome.js'
import type { ProviderContext } from '../core/types.js'
import { broker } from './broker.js'

const NAME = 'Microsoft Azure'
const SUBSCRIPTIONS_API = '2022-12-01'
const COMPUTE_API = '2024-07-01'
/** Work and school accounts: Azure subscriptions live in an Entra tenant, never in a consumer one. */
const TENANT = 'organizations'
const ARM_SCOPE = 'https://management.azure.com/user_impersonation'
/** Enough for any team we know of; a sweep must not walk hundreds of subscriptions per account. */
const MAX_SUBSCRIPTIONS = 25

interface ArmError {
  error?: { code?: string; message?: string }
}
interface Subscription {
  subscriptionId: string
  tenantId?: string
  displayName?: string
  state?: string
}
interface Vm {
  name: string
  id?: string
  location?: string
  properties?: {
    vmId?: string
    provisioningState?: string
    instanceView?: { statuses?: { code?: string }[] }
  }
}

/** The access token's claims (Entra issues JWTs for ARM); null when it is not one. */
function claimsOf(token: string): Record<string, unknown> | null {
  const payload = token.split('.')[1]
  if (!payload) return null
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : null
  } catch {
    return null
  }
}

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined)

/** tenant/object id: one user in one directory, the same across grants and refreshes. */
function userOf(token: string): { subject: string; identity: Identity } | null {
  const claims = claimsOf(token)
  const tid = str(claims?.tid)
  const oid = str(claims?.oid)
  if (!claims || !tid || !oid) return null
  const email = str(claims.upn) ?? str(claims.email) ?? str(claims.unique_name)
  const name = str(claims.name) ?? email
  return {
    subject: `${tid}/${oid}`,
    identity: { id: `${tid}/${oid}`, ...(name ? { name } : {}), ...(email ? { email } : {}) },
  }
}

async function arm<T>(ctx: ProviderContext, token: string, path: string): Promise<T> {
  const res: ProviderResponse = await ctx.http.request('arm', path, {
    headers: { authorization: `Bearer ${token}` },
  })
  if (res.status === 200) return expectJson<T>(NAME, res)
  const err = (res.json as ArmError | undefined)?.error
  if (res.status === 401)
    throw rejected(
      `${NAME} rejected the access token (${err?.code ?? 'unauthorized'}: ${err?.message ?? 'no details'})`,
      res,
      err?.code,
    )
  if (res.status === 403)
    throw rejected(
      `The Microsoft account lacks permission (${err?.code ?? 'forbidden'}: ${err?.message ?? 'no details'}); give it the Reader role (Contributor to create servers)`,
      res,
      err?.code,
    )
  throw unexpected(NAME, res)
}

/** A nextLink is absolute on the real ARM origin; it is followed on ours (PROVIDER_URL_AZURE). */
const pathOf = (link: string) => {
  const url = new URL(link)
  return `${url.pathname}${url.search}`
}

/** Every subscription the token sees, following `nextLink` (ARM pages this list too). */
async function subscriptions(ctx: ProviderContext, token: string) {
  const value: Subscription[] = []
  let path: string | undefined = `/subscriptions?api-version=${SUBSCRIPTIONS_API}`
  for (let page = 0; path && page < 10; page++) {
    const body: { value?: Subscription[]; nextLink?: string } = await arm(ctx, token, path)
    value.push(...(body.value ?? []))
    path = body.nextLink ? pathOf(body.nextLink) : undefined
  }
  return { value }
}

function powerState(vm: Vm): string {
  const code = vm.properties?.instanceView?.statuses?.find((s) => s.code?.startsWith('PowerState/'))
  return code?.code?.slice('PowerState/'.length) ?? vm.properties?.provisioningState ?? 'unknown'
}

export const azureOAuth: OAuthSpec = {
  envId: 'AZURE',
  authorize: { origin: 'login', path: `/${TENANT}/oauth2/v2.0/authorize` },
  token: { origin: 'login', path: `/${TENANT}/oauth2/v2.0/token` },
  scopes: [ARM_SCOPE, 'offline_access', 'openid', 'profile', 'email'],
  authorizeParams: { response_mode: 'query', prompt: 'select_account' },
  tokenParams: { scope: `${ARM_SCOPE} offline_access openid profile email` },
  rotatesRefreshToken: false,
  register: {
    url: 'https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade',
    steps:
      'Microsoft Entra ID → App registrations → New registration, accounts in any organizational directory, platform Web; then Certificates & secrets → New client secret, and API permissions → Azure Service Management → user_impersonation',
  },
  async identify(_ctx, tokens) {
    if (tokens.scope !== undefined && !tokens.scope.includes('user_impersonation'))
      throw rejected(
        `${NAME} did not grant access to Azure Resource Manager (granted: ${tokens.scope || 'nothing'}); the user or an administrator must consent to ${ARM_SCOPE}`,
        200,
        'insufficient_scope',
      )
    const user = userOf(tokens.accessToken)
    if (!user)
      throw new UnreachableError(
        unreachable('server_error', `${NAME} issued an access token that does not name a user`),
      )
    return { subject: user.subject }
  },
}

export const azure = defineProvider<GrantCredentials>({
  descriptor: {
    id: 'azure',
    name: NAME,
    authType: 'oauth',
    fields: [],
    consoleUrl: 'https://portal.azure.com/#view/Microsoft_Azure_Billing/SubscriptionsBladeV2',
    permissions: [
      ARM_SCOPE,
      'offline_access',
      'Reader role on a subscription (Contributor to create servers)',
    ],
    capabilities: ['compute'],
  },
  origins: { login: 'https://login.microsoftonline.com', arm: 'https://management.azure.com' },
  broker,
  oauth: azureOAuth,
  available: ({ oauth }) => oauthConfigured(oauth, azureOAuth),
  validate: (c) => validateGrant(c),
  verify: async (ctx, grant) => {
    const user = userOf(grant.accessToken)
    if (user && user.subject !== grant.subject)
      throw rejected(
        `The authorization now answers for a different Microsoft account; reconnect`,
        200,
        'subject_mismatch',
      )
    const { value = [] } = await subscriptions(ctx, grant.accessToken)
    if (value.length === 0)
      throw rejected(
        'The Microsoft account signs in but sees no Azure subscription; give it the Reader role (Contributor to create servers) on one, or connect another account',
        200,
        'no_subscription',
      )
    const inactive = value.filter((s) => s.state && s.state !== 'Enabled')
    return {
      outcome: 'verified' as const,
      identity: user?.identity ?? { id: grant.subject },
      warnings: inactive.map(
        (s) => `Subscription "${s.displayName ?? s.subscriptionId}" is ${s.state}`,
      ),
    }
  },
  listServers: async (ctx, grant) => {
    const { value = [] } = await subscriptions(ctx, grant.accessToken)
    const active = value
      .filter((s) => !s.state || s.state === 'Enabled')
      .slice(0, MAX_SUBSCRIPTIONS)
    const servers: ServerInfo[] = []
    let refused = 0
    for (const sub of active) {
      let path: string | undefined =
        `/subscriptions/${encodeURIComponent(sub.subscriptionId)}/providers/Microsoft.Compute/virtualMachines?api-version=${COMPUTE_API}&statusOnly=true`
      try {
        for (let page = 0; path && page < 50; page++) {
          const body: { value?: Vm[]; nextLink?: string } = await arm(ctx, grant.accessToken, path)
          for (const vm of body.value ?? [])
            servers.push({
              providerServerId: vm.properties?.vmId ?? vm.id ?? vm.name,
              name: vm.name,
              status: powerState(vm),
              region: vm.location ?? null,
              // The VM list carries no addresses; they live on network interfaces.
              ipv4: null,
            })
          path = body.nextLink ? pathOf(body.nextLink) : undefined
        }
      } catch (err: unknown) {
        // One subscription without VM read access must not hide the others.
        if (err instanceof RejectedError && active.length > 1) refused++
        else throw err
      }
    }
    if (refused > 0 && refused === active.length)
      throw rejected(
        'The Microsoft account may not list virtual machines in any subscription; give it the Reader role',
        403,
      )
    return {
      outcome: 'listed' as const,
      servers,
      ...(refused > 0
        ? {
            note: `${refused} subscription(s) could not be listed: the account lacks the Reader role there`,
          }
        : {}),
    }
  },
  probe: probeAzure,
  hint: grantHint,
  canonical: grantCanonical,
})

export default azure
