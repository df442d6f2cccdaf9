import { createHash } from 'node:crypto'
import { API_TOKEN_PREFIX } from '@cloudlink/shared'
import { takeRandom } from '../vault/random.js'

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
/** 43 base62 characters carry 256 bits (43 × log2 62 ≈ 256.03). */
const RANDOM_CHARS = 43
/** The largest multiple of 62 below 256: bytes at or above it are skipped, so no character is likelier. */
const UNBIASED_BELOW = 248
const SHAPE = /^clk_[0-9A-Za-z]{40,200}$/

/** A new token: `clk_` + 43 base62 characters from the CSPRNG. The prefix lets secret scanners find leaks. */
export function generateApiToken(): string {
  let out = API_TOKEN_PREFIX
  while (out.length < API_TOKEN_PREFIX.length + RANDOM_CHARS)
    for (const byte of takeRandom(64)) {
      if (byte >= UNBIASED_BELOW) continue
      out += ALPHABET[byte % 62]
      if (out.length === API_TOKEN_PREFIX.length + RANDOM_CHARS) break
    }
  return out
}

/**
 * What the database keeps. 256 random bits cannot be guessed, so a fast hash protects as well as a
 * slow one, and one lookup by an indexed column costs no password-hashing time per request.
 */
export const hashApiToken = (token: string): string =>
  createHash('sha256').update(token).digest('hex')

export const apiTokenHint = (token: string): string => `${API_TOKEN_PREFIX}••••${token.slice(-4)}`

/** Shaped like one of our tokens (checked before any hashing or database work). */
export const isApiTokenShape = (value: string): boolean => SHAPE.test(value)
