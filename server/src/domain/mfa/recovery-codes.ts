import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'

/** No 0/o, 1/l/i: a code copied from paper reads one way only. 31 symbols, ~4.95 bits each. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'
const GROUPS = 3
const GROUP_LENGTH = 4

/** `xxxx-xxxx-xxxx` (about 59 bits): looked up online only, behind the second factor's limits. */
export function newRecoveryCode(): string {
  const groups: string[] = []
  for (let g = 0; g < GROUPS; g++) {
    let group = ''
    for (let i = 0; i < GROUP_LENGTH; i++) group += ALPHABET[randomInt(ALPHABET.length)]
    groups.push(group)
  }
  return groups.join('-')
}

/** What a person typed, as stored codes are compared: no spaces or dashes, lower case. */
export const normalizeCode = (code: string): string => code.replace(/[\s-]/g, '').toLowerCase()

/** A recovery code is one of ours by its shape; a TOTP code is six digits. */
export const isRecoveryCodeShape = (code: string): boolean =>
  new RegExp(`^[${ALPHABET}]{${GROUPS * GROUP_LENGTH}}$`).test(normalizeCode(code))

/**
 * Stored as SHA-256 of a random per-code salt and the code (ASVS 2.6.2 for look-up secrets under
 * 112 bits): a database reader cannot use a code, nor test one guess against every row at once.
 */
export function hashRecoveryCode(code: string, salt = randomBytes(16).toString('hex')) {
  const hash = createHash('sha256')
    .update(`${salt}:${normalizeCode(code)}`)
    .digest('hex')
  return { salt, hash }
}

export function recoveryCodeMatches(code: string, stored: { salt: string; hash: string }) {
  const { hash } = hashRecoveryCode(code, stored.salt)
  return timingSafeEqual(Buffer.from(hash, 'hex'), Buffer.from(stored.hash, 'hex'))
}
