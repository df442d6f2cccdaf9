import type { ServerInfo } from '@cloudlink/shared'
import { oauthConfigured } from '../core/oauth/apps.js'
import {
  grantCanonical,
  grantHint,
  validateGrant,
  type GrantCredentials,
} from '../core/oauth/grant.js'
import type { OAuthSpec } from '../core/oauth/spec.js'
import { defineProvider } from '../core/define.js'
import { probeGcp } from './probe.js'
import { expectJson, UnreachableError, unreachable, type ProviderResponse } from '../core/http.js'
import { rejected, RejectedError, unexpected } from '../core/outcome.js'
import type { ProviderContext } from '../core/types.js'
import { broker } from './broker.js'

const NAME = 'Google Cloud'
const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform'
/** A sweep must not walk hundreds of projects per account. */
const MAX_PROJECTS = 25

interface GoogleError {
  error?: {
    code?: number
    message?: string
    status?: string
    details?: { reason?: string; metadata?: Record<string, string> }[]
  }
}
interface TokenInfo {
  sub?: string
  email?: string
  scope?: string
}
interface Project {
  projectId: string
  lifecycleState?: string
}
interface Instance {
  id: string | number
  name: string
  status?: string
  zone?: string
  networkInterfaces?: { accessConfigs?: { natIP?: string }[] }[]
}

const errorOf = (res: ProviderResponse) => (res.json as GoogleError | undefined)?.error
const reasonOf = (res: ProviderResponse) => errorOf(res)?.details?.find((d) => d.reason)?.reason

/**
 * The SERVICE_DISABLED trap: the token is fine, but an API is switched off in the project that
 * Google bills the call to, which for Resource Manager is the project of Cloudlink's OAuth app,
 * not the user's. Reconnecting cannot fix it, so it is never a rejection of the user's grant.
 */
function serviceDisabled(res: ProviderResponse): string {
  const err = errorOf(res)
  const consumer = err?.details?.find((d) => d.metadata?.consumer)?.metadata?.consumer
  const project =
    consumer?.replace(/^projects\//, '') ?? /project (\d+)/.exec(err?.message ?? '')?.[1]
  const where = project ? ` in project ${project}` : ''
  return (
    `the Cloud Resource Manager API is disabled${where}, the project of Cloudlink's OAuth app; ` +
    `an administrator must enable it (https://console.developers.google.com/apis/api/cloudresourcemanager.googleapis.com/overview${project ? `?project=${project}` : ''}) so projects and servers can be listed`
  )
}

function refusal(res: ProviderResponse) {
  const err = errorOf(res)
  const said = `${err?.status ?? res.status}: ${err?.message ?? 'no details'}`
  if (res.status === 401)
    return rejected(`${NAME} rejected the access token (${said})`, res, err?.status)
  if (res.status === 403)
    return rejected(
      `The Google account lacks permission (${said}); it needs the ${CLOUD_PLATFORM} scope and a role such as Viewer on the project`,
      res,
      reasonOf(res) ?? err?.status,
    )
  return unexpected(NAME, res)
}

async function get<T>(ctx: ProviderContext, origin: string, token: string, path: string) {
  const res = await ctx.http.request(origin, path, {
    headers: { authorization: `Bearer ${token}` },
  })
  return { res, body: res.status === 200 ? expectJson<T>(NAME, res) : undefined }
}

/** POSTed, so the token never sits in a URL (proxy logs); no Authorization header is needed. */
async function tokeninfo(ctx: ProviderContext, token: string): Promise<TokenInfo> {
  const res = await ctx.http.request('oauth2', '/tokeninfo', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ access_token: token }).toString(),
  })
  if (res.status === 200) return expectJson<TokenInfo>(NAME, res)
  const body = res.json as { error?: string; error_description?: string } | undefined
  if (res.status === 400 && body?.error === 'invalid_token')
    throw rejected(
      `${NAME} rejected the access token (invalid_token: ${body.error_description ?? 'Invalid Value'})`,
      res,
      'invalid_token',
    )
  throw unexpected(NAME, res)
}

const hasCloudPlatform = (scope: string | undefined) =>
  (scope ?? '')
    .split(/\s+/)
    .some((s) => s === CLOUD_PLATFORM || s === `${CLOUD_PLATFORM}.read-only`)

const missingScope = (granted: string | undefined) =>
  rejected(
    `${NAME} did not grant access to Google Cloud (granted: ${granted || 'nothing'}); allow "See, edit, configure and delete your Google Cloud data" when asked`,
    200,
    'insufficient_scope',
  )

export const gcpOAuth: OAuthSpec = {
  envId: 'GCP',
  authorize: { origin: 'accounts', path: '/o/oauth2/v2/auth' },
  token: { origin: 'oauth2', path: '/token' },
  scopes: [CLOUD_PLATFORM, 'openid', 'email'],
  // A refresh token comes only with offline access, and reliably only with a fresh consent.
  authorizeParams: { access_type: 'offline', prompt: 'consent', include_granted_scopes: 'true' },
  rotatesRefreshToken: false,
  register: {
    url: 'https://console.cloud.google.com/apis/credentials',
    steps:
      'APIs & Services → Credentials → Create credentials → OAuth client ID, type Web application; enable the Cloud Resource Manager API and the Compute Engine API in the same project',
  },
  async identify(ctx, tokens) {
    if (tokens.scope !== undefined && !hasCloudPlatform(tokens.scope))
      throw missingScope(tokens.scope)
    const info = await tokeninfo(ctx, tokens.accessToken)
    if (!hasCloudPlatform(info.scope)) throw missingScope(info.scope)
    if (!info.sub)
      throw new UnreachableError(
        unreachable('server_error', `${NAME} did not say whose token this is`),
      )
    return { subject: info.sub }
  },
}

export const gcp = defineProvider<GrantCredentials>({
  descriptor: {
    id: 'gcp',
    name: NAME,
    authType: 'oauth',
    fields: [],
    consoleUrl: 'https://console.cloud.google.com/iam-admin/iam',
    permissions: [CLOUD_PLATFORM, 'Viewer role on the projects (Compute Admin to create servers)'],
    capabilities: ['compute'],
  },
  origins: {
    accounts: 'https://accounts.google.com',
    oauth2: 'https://oauth2.googleapis.com',
    crm: 'https://cloudresourcemanager.googleapis.com',
    compute: 'https://compute.googleapis.com',
  },
  broker,
  oauth: gcpOAuth,
  available: ({ oauth }) => oauthConfigured(oauth, gcpOAuth),
  validate: (c) => validateGrant(c),
  verify: async (ctx, grant) => {
    const info = await tokeninfo(ctx, grant.accessToken)
    if (info.sub && info.sub !== grant.subject)
      throw rejected(
        'The authorization now answers for a different Google account; reconnect',
        200,
        'subject_mismatch',
      )
    if (!hasCloudPlatform(info.scope)) throw missingScope(info.scope)
    const warnings: string[] = []
    const { res, body } = await get<{ projects?: Project[] }>(
      ctx,
      'crm',
      grant.accessToken,
      '/v1/projects?pageSize=1',
    )
    if (res.status === 403 && reasonOf(res) === 'SERVICE_DISABLED')
      warnings.push(`Google Cloud accepts the authorization, but ${serviceDisabled(res)}`)
    else if (!body) throw refusal(res)
    else if (!body.projects?.length)
      warnings.push('The Google account sees no project; give it a role (Viewer or more) on one')
    return {
      outcome: 'verified' as const,
      identity: {
        id: grant.subject,
        ...(info.email ? { name: info.email, email: info.email } : {}),
      },
      warnings,
    }
  },
  listServers: async (ctx, grant) => {
    const token = grant.accessToken
    const projects: string[] = []
    let pageToken = ''
    for (let page = 0; page < 5 && projects.length < MAX_PROJECTS; page++) {
      const { res, body } = await get<{ projects?: Project[]; nextPageToken?: string }>(
        ctx,
        'crm',
        token,
        `/v1/projects?pageSize=100${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`,
      )
      if (res.status === 403 && reasonOf(res) === 'SERVICE_DISABLED')
        throw new UnreachableError(
          unreachable('server_error', `Projects cannot be listed: ${serviceDisabled(res)}`),
        )
      if (!body) throw refusal(res)
      for (const p of body.projects ?? [])
        if (!p.lifecycleState || p.lifecycleState === 'ACTIVE') projects.push(p.projectId)
      if (!body.nextPageToken) break
      pageToken = body.nextPageToken
    }
    const servers: ServerInfo[] = []
    let refused = 0
    for (const project of projects.slice(0, MAX_PROJECTS)) {
      let next = ''
      for (let page = 0; page < 20; page++) {
        const { res, body } = await get<{
          items?: Record<string, { instances?: Instance[] }>
          nextPageToken?: string
        }>(
          ctx,
          'compute',
          token,
          `/compute/v1/projects/${encodeURIComponent(project)}/aggregated/instances?maxResults=500${next ? `&pageToken=${encodeURIComponent(next)}` : ''}`,
        )
        if (!body) {
          // Compute Engine switched off in a project means it has no servers; anything else
          // (no permission there, project gone) must not hide the other projects.
          if (res.status === 403 && reasonOf(res) === 'SERVICE_DISABLED') break
          const err = refusal(res)
          if (err instanceof RejectedError || res.status === 404) {
            refused++
            break
          }
          throw err
        }
        for (const zone of Object.values(body.items ?? {}))
          for (const i of zone.instances ?? [])
            servers.push({
              providerServerId: String(i.id),
              name: i.name,
              status: i.status ?? 'UNKNOWN',
              region: i.zone?.split('/').pop() ?? null,
              ipv4:
                i.networkInterfaces?.flatMap((n) => n.accessConfigs ?? []).find((a) => a.natIP)
                  ?.natIP ?? null,
            })
        if (!body.nextPageToken) break
        next = body.nextPageToken
      }
    }
    if (refused > 0 && refused === projects.length)
      throw rejected(
        'The Google account may not list Compute Engine instances in any project; give it the Viewer role',
        403,
      )
    return {
      outcome: 'listed' as const,
      servers,
      ...(refused > 0
        ? {
            note: `${refused} project(s) could not be listed: the account lacks permission there`,
          }
        : {}),
    }
  },
  probe: probeGcp,
  hint: grantHint,
  canonical: grantCanonical,
})

export default gcp
