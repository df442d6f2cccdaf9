import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto'
import { VaultError } from './errors.js'

/** One entry of VAULT_KEYS, reduced to the subkeys the vault uses. The raw key is not kept. */
export interface VaultKey {
  id: string
  /** AES-256-GCM key that wraps data keys. */
  wrap: KeyObject
  /** HMAC-SHA256 key for credential fingerprints. */
  fingerprint: KeyObject
}

const KEY_ID = /^[A-Za-z0-9_.-]{1,40}$/
const KEY_BYTES = 32
// Distinct HKDF labels give the wrap key and the fingerprint key independent values, so a
// fingerprint (stored in clear) can never reveal anything about the key that wraps data keys.
const WRAP_INFO = 'cloudlink/vault/wrap/v1'
const FINGERPRINT_INFO = 'cloudlink/vault/fingerprint/v1'

const derive = (raw: Buffer, info: string): KeyObject =>
  createSecretKey(Buffer.from(hkdfSync('sha256', raw, Buffer.alloc(0), info, KEY_BYTES)))

const invalid = (message: string) => new VaultError('invalid-keys', `VAULT_KEYS: ${message}`)

/**
 * Parses `keyId:base64(32 bytes)` entries, comma-separated, first one active. Errors say which entry
 * is wrong but never echo it: a malformed entry may well be mostly key material.
 */
export function parseVaultKeys(spec: string): VaultKey[] {
  if (typeof spec !== 'string' || spec.length === 0) throw invalid('no keys given')
  const keys: VaultKey[] = []
  const seen: { id: string; raw: Buffer }[] = []
  try {
    spec.split(',').forEach((entry, index) => {
      const at = `entry ${index + 1}`
      const colon = entry.indexOf(':')
      if (colon < 0) throw invalid(`${at} is not keyId:base64(32 bytes)`)
      const id = entry.slice(0, colon)
      if (!KEY_ID.test(id)) throw invalid(`${at}: key id must be 1-40 of A-Z a-z 0-9 _ . -`)
      const encoded = entry.slice(colon + 1)
      const raw = Buffer.from(encoded, 'base64')
      seen.push({ id, raw })
      // Node's base64 decoder skips junk silently, so re-encoding is the strict check.
      if (raw.length !== KEY_BYTES || raw.toString('base64') !== encoded)
        throw invalid(`key "${id}" must be base64 of exactly ${KEY_BYTES} bytes`)
      const twin = seen.find((other) => other.raw !== raw && other.raw.equals(raw))
      if (seen.some((other) => other.raw !== raw && other.id === id))
        throw invalid(`key id "${id}" is listed twice`)
      // A reused key under a new id would make a rotation look done while changing nothing.
      if (twin) throw invalid(`keys "${twin.id}" and "${id}" are the same key`)
      keys.push({ id, wrap: derive(raw, WRAP_INFO), fingerprint: derive(raw, FINGERPRINT_INFO) })
    })
  } finally {
    for (const { raw } of seen) raw.fill(0)
  }
  return keys
}
