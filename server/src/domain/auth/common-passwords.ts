import { readFile } from 'node:fs/promises'
import { validationFailed } from '../../errors.js'

/** server/data/, from src/domain/auth/ and dist/domain/auth/ alike. */
const LIST = new URL('../../../data/common-passwords.txt', import.meta.url)

let loaded: Promise<Set<string>> | undefined
const list = () =>
  (loaded ??= readFile(LIST, 'utf8').then(
    (text) => new Set(text.split('\n').filter((line) => line.length > 0)),
  ))

/**
 * Whether a password is on the shipped list of common (breached) passwords: compared without case,
 * and again without whitespace, so "Qwerty 123456" is caught like "qwerty123456".
 */
export async function isCommonPassword(password: string): Promise<boolean> {
  const set = await list()
  const lower = password.normalize('NFKC').toLowerCase()
  return set.has(lower) || set.has(lower.replace(/\s+/g, ''))
}

/** Refuses a new password from the list with 400 VALIDATION_FAILED naming `field`. */
export async function assertNotCommon(password: string, field: string): Promise<void> {
  if (await isCommonPassword(password))
    throw validationFailed(
      field,
      'is one of the most common passwords (found in breaches); choose another',
    )
}
