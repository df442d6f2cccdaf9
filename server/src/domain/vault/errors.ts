export type VaultErrorReason = 'invalid-keys' | 'unknown-key' | 'malformed' | 'tampered'

/**
 * Every vault failure. Messages name key ids and byte counts at most: never key material, data keys
 * or plaintext, because these errors end up in logs.
 */
export class VaultError extends Error {
  constructor(
    readonly reason: VaultErrorReason,
    message: string,
  ) {
    super(message)
    this.name = 'VaultError'
  }
}
