import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  type KeyObject,
} from 'node:crypto'
import { VaultError } from './errors.js'
import { parseVaultKeys, type VaultKey } from './keys.js'
import { takeRandom } from './random.js'

export { VaultError, type VaultErrorReason } from './errors.js'

/** What a cloud account row stores: the credential sealed by a data key, wrapped by vault key keyId. */
export interface Sealed {
  keyId: string
  wrappedKey: Buffer
  ciphertext: Buffer
}

/** The row a sealed credential belongs to. It is authenticated, so a copy onto another row fails. */
export interface VaultAad {
  workspaceId: string
  accountId: string
}

export interface Vault {
  /** The first VAULT_KEYS entry: it wraps every new data key and keys new fingerprints. */
  readonly activeKeyId: string
  /** All configured key ids, active first. */
  readonly keyIds: readonly string[]
  hasKey(keyId: string): boolean
  seal(plaintext: object, aad: VaultAad): Sealed
  open<T = unknown>(sealed: Sealed, aad: VaultAad): T
  /** Wraps the data key under the active key; the ciphertext is reused as is. */
  rewrap(sealed: Sealed, aad: VaultAad): Sealed
  /** HMAC of a canonical credential, scoped to a workspace, under `keyId` (default: active). */
  fingerprint(workspaceId: string, canonical: string, keyId?: string): string
  /** The fingerprint under every configured key, active first: what a duplicate lookup matches. */
  fingerprintCandidates(workspaceId: string, canonical: string): string[]
}

// Layout of both blobs: version (1) | IV (12) | GCM tag (16) | ciphertext.
const VERSION = 1
const IV_BYTES = 12
const TAG_BYTES = 16
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES
const DATA_KEY_BYTES = 32
const WRAPPED_KEY_BYTES = HEADER_BYTES + DATA_KEY_BYTES

// Labels separate the two AADs (and the HMAC input), so no blob verifies in another role. JSON arrays
// encode the ids unambiguously whatever characters they contain.
const dataAad = (aad: VaultAad) =>
  Buffer.from(JSON.stringify(['cloudlink/credential/v1', aad.workspaceId, aad.accountId]))
const wrapAad = (keyId: string, aad: VaultAad) =>
  Buffer.from(JSON.stringify(['cloudlink/data-key/v1', keyId, aad.workspaceId, aad.accountId]))

function gcmSeal(key: KeyObject, iv: Buffer, aad: Buffer, plaintext: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES })
  cipher.setAAD(aad)
  const body = cipher.update(plaintext)
  cipher.final()
  const out = Buffer.allocUnsafe(HEADER_BYTES + body.length)
  out[0] = VERSION
  iv.copy(out, 1)
  cipher.getAuthTag().copy(out, 1 + IV_BYTES)
  body.copy(out, HEADER_BYTES)
  return out
}

const TAMPERED =
  'sealed credential failed authentication: it was altered or belongs to another account'

function gcmOpen(key: KeyObject, aad: Buffer, sealed: Buffer): Buffer {
  if (!Buffer.isBuffer(sealed) || sealed.length < HEADER_BYTES || sealed[0] !== VERSION)
    throw new VaultError('malformed', 'sealed credential has an unknown format')
  const iv = sealed.subarray(1, 1 + IV_BYTES)
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES })
  decipher.setAAD(aad)
  decipher.setAuthTag(sealed.subarray(1 + IV_BYTES, HEADER_BYTES))
  const out = decipher.update(sealed.subarray(HEADER_BYTES))
  try {
    decipher.final()
  } catch {
    // The bytes from update() are unauthenticated: wipe them rather than let them escape.
    out.fill(0)
    throw new VaultError('tampered', TAMPERED)
  }
  return out
}

const isId = (value: unknown) => typeof value === 'string' && value.length > 0

function checkAad(aad: VaultAad) {
  // An empty id would bind the ciphertext to nothing in particular.
  if (!isId(aad?.workspaceId) || !isId(aad?.accountId))
    throw new TypeError('vault: workspaceId and accountId are required')
}

/**
 * Envelope encryption of provider credentials. Each seal draws a fresh 256-bit data key that
 * encrypts the JSON with AES-256-GCM; the data key is itself AES-256-GCM-wrapped under the active
 * vault key (a subkey HKDF-derived from it, see keys.ts). Rotation therefore rewraps 61-byte keys
 * instead of re-encrypting every credential.
 *
 * Fingerprints are keyed by the same vault key that wraps the row's data key (the row's keyId), and
 * rotation recomputes them when it rewraps. Deriving them from a fixed key instead would mean that key
 * could never leave VAULT_KEYS. During a rotation a duplicate check must match
 * `fingerprintCandidates()` (one per configured key), not just `fingerprint()`.
 */
export function createVault({ keys }: { keys: string }): Vault {
  const list = parseVaultKeys(keys)
  const byId = new Map<string, VaultKey>(list.map((key) => [key.id, key]))
  const active = list[0] as VaultKey

  const keyFor = (keyId: string): VaultKey => {
    const key = byId.get(keyId)
    if (!key) throw new VaultError('unknown-key', `vault key "${keyId}" is not in VAULT_KEYS`)
    return key
  }

  const unwrap = (sealed: Sealed, aad: VaultAad): Buffer => {
    checkAad(aad)
    const key = keyFor(sealed.keyId)
    if (sealed.wrappedKey?.length !== WRAPPED_KEY_BYTES)
      throw new VaultError('malformed', 'wrapped data key has the wrong length')
    return gcmOpen(key.wrap, wrapAad(key.id, aad), sealed.wrappedKey)
  }

  const wrap = (dataKey: Buffer, iv: Buffer, aad: VaultAad): Buffer =>
    gcmSeal(active.wrap, iv, wrapAad(active.id, aad), dataKey)

  const fingerprint = (workspaceId: string, canonical: string, keyId = active.id): string =>
    createHmac('sha256', keyFor(keyId).fingerprint)
      .update(JSON.stringify(['cloudlink/fingerprint/v1', workspaceId, canonical]))
      .digest('hex')

  return {
    activeKeyId: active.id,
    keyIds: list.map((key) => key.id),
    hasKey: (keyId) => byId.has(keyId),

    seal(plaintext, aad) {
      checkAad(aad)
      const json = JSON.stringify(plaintext)
      if (typeof json !== 'string')
        throw new TypeError('vault: plaintext must be JSON-serialisable')
      const body = Buffer.from(json, 'utf8')
      // One draw for the data key and both IVs; all three are used before the pool moves on.
      const random = takeRandom(DATA_KEY_BYTES + 2 * IV_BYTES)
      const dataKey = random.subarray(0, DATA_KEY_BYTES)
      const ciphertext = gcmSeal(
        createSecretKey(dataKey),
        random.subarray(DATA_KEY_BYTES, DATA_KEY_BYTES + IV_BYTES),
        dataAad(aad),
        body,
      )
      const wrappedKey = wrap(dataKey, random.subarray(DATA_KEY_BYTES + IV_BYTES), aad)
      random.fill(0)
      body.fill(0)
      return { keyId: active.id, wrappedKey, ciphertext }
    },

    open<T = unknown>(sealed: Sealed, aad: VaultAad): T {
      const dataKey = unwrap(sealed, aad)
      const key = createSecretKey(dataKey)
      dataKey.fill(0)
      const body = gcmOpen(key, dataAad(aad), sealed.ciphertext)
      try {
        return JSON.parse(body.toString('utf8')) as T
      } catch {
        throw new VaultError('malformed', 'sealed credential is not valid JSON')
      } finally {
        body.fill(0)
      }
    },

    rewrap(sealed, aad) {
      if (sealed.keyId === active.id) return sealed
      const dataKey = unwrap(sealed, aad)
      const wrappedKey = wrap(dataKey, takeRandom(IV_BYTES), aad)
      dataKey.fill(0)
      return { keyId: active.id, wrappedKey, ciphertext: sealed.ciphertext }
    },

    fingerprint,
    fingerprintCandidates: (workspaceId, canonical) =>
      list.map((key) => fingerprint(workspaceId, canonical, key.id)),
  }
}
