import type { EntityManager } from '@mikro-orm/postgresql'
import { VaultError } from '../vault/errors.js'
import { sealedOfRow } from '../vault/sealed-row.js'
import type { Vault } from '../vault/vault.js'

export interface SecretRotationResult {
  rewrapped: number
  failed: { webhookId: string; keyId: string; reason: string }[]
  /** Webhook secrets per vault key after the run. */
  keysInUse: Record<string, number>
  /** Secrets still on an old key. */
  remaining: number
}

/**
 * vault:rotate for webhook signing secrets: each data key is re-wrapped under the active vault key
 * (the sealed secret itself is untouched), a batch per transaction, rows locked by a request
 * skipped and picked up by the next run. Webhooks have no fingerprint, so nothing else changes.
 */
export async function rotateWebhookSecrets(opts: {
  em: EntityManager
  vault: Vault
  batchSize?: number
  signal?: AbortSignal
}): Promise<SecretRotationResult> {
  const { em, vault } = opts
  const active = vault.activeKeyId
  const failed: SecretRotationResult['failed'] = []
  let rewrapped = 0
  for (;;) {
    if (opts.signal?.aborted) break
    const skip = failed.map((f) => f.webhookId)
    const done = await em.transactional(async (tx) => {
      const rows = await tx.execute<Record<string, unknown>[]>(
        `select id, workspace_id, key_id, wrapped_key, ciphertext from webhooks
          where key_id <> ? and not (id = any(string_to_array(?, ',')::uuid[]))
          order by id limit ? for update skip locked`,
        [active, skip.join(','), opts.batchSize ?? 100],
      )
      for (const row of rows) {
        const aad = { workspaceId: String(row.workspace_id), accountId: String(row.id) }
        try {
          const { keyId, wrappedKey } = vault.rewrap(sealedOfRow(row), aad)
          await tx.execute(`update webhooks set key_id = ?, wrapped_key = ? where id = ?`, [
            keyId,
            wrappedKey,
            row.id,
          ])
          rewrapped++
        } catch (err: unknown) {
          failed.push({
            webhookId: String(row.id),
            keyId: String(row.key_id),
            reason: err instanceof VaultError ? err.message : 'unexpected error',
          })
        }
      }
      return rows.length
    })
    if (done === 0) break
  }
  const counts = await em.execute<{ key_id: string; n: string }[]>(
    'select key_id, count(*) as n from webhooks group by key_id order by key_id',
  )
  const keysInUse = Object.fromEntries(counts.map((r) => [r.key_id, Number(r.n)]))
  const remaining = Object.entries(keysInUse).reduce(
    (sum, [id, n]) => sum + (id === active ? 0 : n),
    0,
  )
  return { rewrapped, failed, keysInUse, remaining }
}
