import type { Sealed } from './vault.js'

/**
 * The three columns a sealed blob is stored in. node-postgres reads bytea as a Buffer and embedded
 * PGlite as a plain Uint8Array, so both are accepted and the result is always Buffers.
 */
export interface SealedColumns {
  keyId: string
  wrappedKey: Uint8Array
  ciphertext: Uint8Array
}

/** An entity's (or any camelCase row's) sealed columns as the vault takes them. */
export const sealedOf = (row: SealedColumns): Sealed => ({
  keyId: row.keyId,
  wrappedKey: Buffer.from(row.wrappedKey),
  ciphertext: Buffer.from(row.ciphertext),
})

/** A raw SQL row's `key_id`, `wrapped_key` and ciphertext column (`ciphertext` unless named). */
export function sealedOfRow(row: object, ciphertext = 'ciphertext'): Sealed {
  const r = row as Record<string, unknown>
  return sealedOf({
    keyId: String(r.key_id),
    wrappedKey: r.wrapped_key as Uint8Array,
    ciphertext: r[ciphertext] as Uint8Array,
  })
}
