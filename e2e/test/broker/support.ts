import type { ProviderId } from '@cloudlink/shared'
import type { Credentials, Simulator } from '../../src/simulators/index.js'
import { api } from '../fleet/fleet.js'

/** What the broker tests do through the REST API: connect accounts, mint tokens. */

export interface Owner {
  token: string
  workspaceId: string
}

/** Connects `credentials` as a cloud account; its id. */
export async function connect(
  base: string,
  owner: Owner,
  provider: ProviderId,
  credentials: Credentials,
): Promise<string> {
  const res = await api(base, 'POST', `/api/v1/workspaces/${owner.workspaceId}/cloud-accounts`, {
    token: owner.token,
    body: { provider, label: `${provider} via the broker`, credentials },
  })
  if (res.status !== 201)
    throw new Error(`connect ${provider}: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body.id as string
}

/** An `accounts:use` API token for these accounts (shown once). */
export async function useToken(base: string, owner: Owner, accountIds: string[]): Promise<string> {
  const res = await api(base, 'POST', `/api/v1/workspaces/${owner.workspaceId}/api-tokens`, {
    token: owner.token,
    body: { name: `broker e2e ${accountIds.length}`, scopes: ['accounts:use'], accountIds },
  })
  if (res.status !== 201) throw new Error(`api token: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body.token as string
}

export const proxyUrl = (base: string, owner: Owner, accountId: string) =>
  `${base}/api/v1/workspaces/${owner.workspaceId}/cloud-accounts/${accountId}/proxy`

/**
 * One-click connect as a browser does it: start (binding cookie set), the simulator's consent
 * (granted at once), and the callback with the cookie; the SPA landing names the new account.
 */
export async function connectOAuth(
  base: string,
  owner: Owner,
  provider: 'azure' | 'gcp' | 'digitalocean',
): Promise<string> {
  const query = new URLSearchParams({
    workspaceId: owner.workspaceId,
    label: `${provider} via the broker`,
  })
  const start = await fetch(`${base}/api/v1/oauth/${provider}/start?${query}`, {
    headers: { authorization: `Bearer ${owner.token}` },
    redirect: 'manual',
  })
  const cookie = (start.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ')
  const consent = await fetch(start.headers.get('location') ?? '', { redirect: 'manual' })
  const callback = await fetch(consent.headers.get('location') ?? '', {
    headers: { cookie },
    redirect: 'manual',
  })
  const landed = new URL(callback.headers.get('location') ?? '', base)
  const id = landed.searchParams.get('connected')
  if (!id) throw new Error(`${provider} one-click connect: ${start.status} → ${landed.search}`)
  return id
}

/** Registers the app's OAuth client with the simulator and signs in a user owning `servers`. */
export async function oauthUser(
  sim: Simulator,
  clientId: string,
  clientSecret: string,
  servers: unknown[],
) {
  const control = (method: string, path: string, body: unknown) =>
    fetch(`${sim.url}/__sim-oauth/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  await control('POST', 'clients', { clientId, clientSecret })
  const user = await control('PUT', 'user', { servers })
  return ((await user.json()) as { identity: { id: string } }).identity
}
