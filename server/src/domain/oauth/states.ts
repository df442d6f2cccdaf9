import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { EntityManager } from '@mikro-orm/postgresql'
import type { ProviderId } from '@cloudlink/shared'
import { sealedOfRow } from '../vault/sealed-row.js'
import type { Vault } from '../vault/vault.js'

/** How long the user has to finish at the provider. */
export const STATE_TTL_MS = 10 * 60 * 1000

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex')
const random = (bytes: number) => randomBytes(bytes).toString('base64url')

/** S256 (RFC 7636): what the provider stores at authorize and checks the verifier against. */
export const codeChallenge = (verifier: string) =>
  createHash('sha256').update(verifier).digest('base64url')

/**
 * The cookie that ties a state to the browser that started the flow, named after the state so that
 * two flows in two tabs do not overwrite each other.
 */
export const bindingCookieName = (state: string) => `cl_oauth_${sha256(state).slice(0, 16)}`

/** One authorization on its way through the provider. */
export interface PendingAuthorization {
  id: string
  provider: ProviderId
  workspaceId: string
  userId: string
  /** Set for a reconnect: the account whose grant is replaced on success. */
  accountId: string | null
  label: string | null
  verifier: string
  browserHash: string
}

export interface NewAuthorization {
  /** Goes to the provider and comes back in the callback. */
  state: string
  /** PKCE: only its S256 challenge leaves the server. */
  verifier: string
  /** The browser-binding cookie's value. */
  browserToken: string
}

/** The verifier is sealed under a label of its own, so it opens only as this row's verifier. */
const verifierAad = (workspaceId: string, id: string) => ({
  workspaceId,
  accountId: `oauth-state:${id}`,
})

/**
 * Records a pending authorization: bound to the user, the workspace (and account, for a
 * reconnect), the PKCE verifier and the browser. Expired rows are swept on the way.
 */
export async function createAuthorization(
  deps: { em: EntityManager; vault: Vault },
  input: {
    provider: ProviderId
    workspaceId: string
    userId: string
    accountId: string | null
    label: string | null
  },
): Promise<NewAuthorization> {
  const id = randomUUID()
  const state = random(32)
  const verifier = random(48)
  const browserToken = random(32)
  const sealed = deps.vault.seal({ verifier }, verifierAad(input.workspaceId, id))
  const now = new Date()
  await deps.em.execute(`delete from oauth_states where expires_at < ?`, [now])
  await deps.em.execute(
    `insert into oauth_states (id, state_hash, browser_hash, provider, workspace_id, user_id,
       account_id, label, key_id, wrapped_key, sealed_verifier, expires_at, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      id,
      sha256(state),
      sha256(browserToken),
      input.provider,
      input.workspaceId,
      input.userId,
      input.accountId,
      input.label,
      sealed.keyId,
      sealed.wrappedKey,
      sealed.ciphertext,
      new Date(now.getTime() + STATE_TTL_MS),
      now,
    ],
  )
  return { state, verifier, browserToken }
}

/**
 * Takes the authorization for `state` out of the store: single use by construction (one DELETE,
 * so two callbacks racing with one state cannot both get it).
 */
export async function takeAuthorization(
  deps: { em: EntityManager; vault: Vault },
  state: string,
): Promise<PendingAuthorization | 'unknown' | 'expired'> {
  const rows = await deps.em.execute<Record<string, unknown>[]>(
    `delete from oauth_states where state_hash = ? returning *`,
    [sha256(state)],
  )
  const row = rows[0]
  if (!row) return 'unknown'
  if (new Date(row.expires_at as string | Date).getTime() <= Date.now()) return 'expired'
  const id = String(row.id)
  const workspaceId = String(row.workspace_id)
  const { verifier } = deps.vault.open<{ verifier: string }>(
    sealedOfRow(row, 'sealed_verifier'),
    verifierAad(workspaceId, id),
  )
  return {
    id,
    provider: String(row.provider) as ProviderId,
    workspaceId,
    userId: String(row.user_id),
    accountId: row.account_id ? String(row.account_id) : null,
    label: row.label ? String(row.label) : null,
    verifier,
    browserHash: String(row.browser_hash),
  }
}
