import { randomBytes } from 'node:crypto'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { startSimulator, type Simulator } from '@cloudlink/e2e/simulators'
import { providerUrlEnvName, type ProviderId } from '@cloudlink/shared'

type Test = { teardown(fn: () => unknown): void }

export type OAuthProvider = 'digitalocean' | 'azure' | 'gcp'
export const OAUTH_PROVIDERS: OAuthProvider[] = ['digitalocean', 'azure', 'gcp']

const ENV_ID: Record<OAuthProvider, string> = {
  digitalocean: 'DIGITALOCEAN',
  azure: 'AZURE',
  gcp: 'GCP',
}

/** A call to a simulator's OAuth control API (`/__sim-oauth/…`). */
export async function oauthControl(
  sim: { url: string },
  method: string,
  path: string,
  body?: unknown,
) {
  const res = await fetch(`${sim.url}/__sim-oauth/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  if (res.status >= 400) throw new Error(`control ${method} ${path}: ${res.status} ${text}`)
  return text ? (JSON.parse(text) as Record<string, unknown>) : {}
}

/**
 * Starts the OAuth simulators, registers a client with each and returns the configuration that
 * points the app at them with that client (PROVIDER_URL_* and OAUTH_*_CLIENT_ID/_SECRET).
 */
export async function oauthSimulators(t: Test, ids: OAuthProvider[] = OAUTH_PROVIDERS) {
  const sims = new Map<OAuthProvider, Simulator>()
  const config: Record<string, string> = {}
  const secrets: string[] = []
  for (const id of ids) {
    const sim = await startSimulator(id as ProviderId)
    t.teardown(() => sim.close())
    const clientId = `test-client-${id}`
    const clientSecret = randomBytes(18).toString('base64url')
    await oauthControl(sim, 'POST', 'clients', { clientId, clientSecret })
    sims.set(id, sim)
    secrets.push(clientSecret)
    config[providerUrlEnvName(id as ProviderId)] = sim.url
    config[`OAUTH_${ENV_ID[id]}_CLIENT_ID`] = clientId
    config[`OAUTH_${ENV_ID[id]}_CLIENT_SECRET`] = clientSecret
  }
  const sim = (id: OAuthProvider) => {
    const s = sims.get(id)
    if (!s) throw new Error(`simulator ${id} not started`)
    return s
  }
  return { sims, sim, config, secrets }
}

/** `name=value` pairs of a response's Set-Cookie headers, for the next request. */
export function cookiesOf(res: LightMyRequestResponse): Record<string, string> {
  const raw = res.headers['set-cookie']
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [String(raw)]
  const out: Record<string, string> = {}
  for (const line of list) {
    const [pair] = line.split(';')
    const eq = pair?.indexOf('=') ?? -1
    if (pair && eq > 0) out[pair.slice(0, eq)] = decodeURIComponent(pair.slice(eq + 1))
  }
  return out
}

export interface FlowResult {
  start: LightMyRequestResponse
  /** The provider's redirect back (to our callback), or null when start did not redirect. */
  back: URL | null
  callback: LightMyRequestResponse | null
  /** Where the callback sent the browser (the SPA page), parsed. */
  landed: URL | null
  cookies: Record<string, string>
}

/**
 * A browser's round trip without a browser: start (app.inject), the provider's authorize URL
 * (fetch, redirects not followed: the simulator consents at once and redirects back), then the
 * callback it points to (app.inject, with the cookies start set).
 */
export async function runFlow(
  app: FastifyInstance,
  opts: {
    provider: OAuthProvider
    headers: Record<string, string>
    workspaceId: string
    label?: string
    accountId?: string
    /** Replaces the cookies the callback is sent with (another browser: `{}`). */
    callbackCookies?: Record<string, string>
  },
): Promise<FlowResult> {
  const query = new URLSearchParams({ workspaceId: opts.workspaceId })
  if (opts.label !== undefined) query.set('label', opts.label)
  if (opts.accountId !== undefined) query.set('accountId', opts.accountId)
  const start = await app.inject({
    url: `/api/v1/oauth/${opts.provider}/start?${query.toString()}`,
    headers: opts.headers,
  })
  const cookies = cookiesOf(start)
  if (start.statusCode !== 302) return { start, back: null, callback: null, landed: null, cookies }
  const authorize = await fetch(String(start.headers.location), { redirect: 'manual' })
  await authorize.text()
  if (authorize.status !== 302)
    throw new Error(`authorize answered ${authorize.status} instead of redirecting back`)
  const back = new URL(authorize.headers.get('location') ?? '')
  const callback = await callbackOnce(app, back, opts.callbackCookies ?? cookies)
  return { start, back, callback, landed: landedOf(callback), cookies }
}

/** Sends the browser to our callback once more (a replay, or the first time by hand). */
export const callbackOnce = (app: FastifyInstance, back: URL, cookies: Record<string, string>) =>
  app.inject({ url: `${back.pathname}${back.search}`, cookies })

export function landedOf(res: LightMyRequestResponse): URL | null {
  const location = res.headers.location
  return typeof location === 'string' ? new URL(location, 'http://spa.invalid') : null
}

/** The accounts the workspace has, through the API. */
export async function accountsOf(
  app: FastifyInstance,
  workspaceId: string,
  headers: Record<string, string>,
) {
  const res = await app.inject({ url: `/api/v1/workspaces/${workspaceId}/cloud-accounts`, headers })
  return (res.json() as { items: Record<string, unknown>[] }).items
}

/** The sealed credential bytes of an account, straight from the database. */
export async function storedCiphertext(app: FastifyInstance, accountId: string): Promise<Buffer> {
  const rows = await app.orm.em
    .fork()
    .execute<{ ciphertext: Uint8Array }[]>(`select ciphertext from cloud_accounts where id = ?`, [
      accountId,
    ])
  return Buffer.from(rows[0]?.ciphertext ?? [])
}

/** The grant the vault holds for an account (tests only: to see what a refresh stored). */
export async function storedGrant(app: FastifyInstance, accountId: string) {
  const em = app.orm.em.fork()
  const rows = await em.execute<Record<string, unknown>[]>(
    `select workspace_id, key_id, wrapped_key, ciphertext from cloud_accounts where id = ?`,
    [accountId],
  )
  const row = rows[0]
  if (!row) return null
  return app.vault.open<Record<string, string>>(
    {
      keyId: String(row.key_id),
      wrappedKey: Buffer.from(row.wrapped_key as Uint8Array),
      ciphertext: Buffer.from(row.ciphertext as Uint8Array),
    },
    { workspaceId: String(row.workspace_id), accountId },
  )
}
