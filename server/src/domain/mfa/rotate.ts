import type { EntityManager } from '@mikro-orm/postgresql'
import { VaultError } from '../vault/errors.js'
import { sealedOfRow } from '../vault/sealed-row.js'
import type { Vault } from '../vault/vault.js'
import { totpAad } from './mfa-service.js'

interface Row {
  user_id: string
  key_id: string
  wrapped_key: Uint8Array
  sealed_secret: Uint8Array
}

/**
 * Rewraps every TOTP secret's data key under the active vault key (part of `vault:rotate`), in
 * batches that skip rows a sign-in holds; the ciphertext stays. Returns the rows per key id after
 * the run and the ids that could not be opened (their key is missing or the row was altered).
 */
export async function rotateTotpSecrets(
  em: EntityManager,
  vault: Vault,
  batchSize = 100,
): Promise<{ rewrapped: number; failed: string[]; keysInUse: Record<string, number> }> {
  const failed: string[] = []
  let rewrapped = 0
  for (;;) {
    const done = await em.transactional(async (tx) => {
      const rows = await tx.execute<Row[]>(
        `select user_id, key_id, wrapped_key, sealed_secret from user_mfa
         where key_id <> ? and not (user_id = any(array[?]::uuid[]))
         order by user_id limit ? for update skip locked`,
        [vault.activeKeyId, failed, batchSize],
      )
      for (const row of rows) {
        try {
          const { wrappedKey } = vault.rewrap(
            sealedOfRow(row, 'sealed_secret'),
            totpAad(row.user_id),
          )
          await tx.execute(`update user_mfa set key_id = ?, wrapped_key = ? where user_id = ?`, [
            vault.activeKeyId,
            wrappedKey,
            row.user_id,
          ])
          rewrapped++
        } catch (err: unknown) {
          if (!(err instanceof VaultError)) throw err
          failed.push(row.user_id)
        }
      }
      return rows.length
    })
    if (done === 0) break
  }
  const counts = await em.execute<{ key_id: string; n: string }[]>(
    'select key_id, count(*) as n from user_mfa group by key_id order by key_id',
  )
  return {
    rewrapped,
    failed,
    keysInUse: Object.fromEntries(counts.map((r) => [r.key_id, Number(r.n)])),
  }
}
