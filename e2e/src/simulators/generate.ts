import { createHash, randomInt } from 'node:crypto'

/** Source of randomness: real for issued credentials, seeded so demo accounts look the same on every start. */
export interface Rng {
  /** Integer in [0, max). */
  int(max: number): number
}

export const randomRng = (): Rng => ({ int: (max) => randomInt(max) })

/**
 * A small fast generator (sfc32) seeded from one SHA-256 of `seed`: the same seed gives the same
 * sequence on every start. One hash per value (the first version) made the simulators spend a
 * third of their CPU deriving ids for every listed server, which a benchmark's providers must not.
 */
export function seededRng(seed: string): Rng {
  const digest = createHash('sha256').update(seed).digest()
  let a = digest.readUInt32BE(0)
  let b = digest.readUInt32BE(4)
  let c = digest.readUInt32BE(8)
  let d = digest.readUInt32BE(12)
  const next = () => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return t >>> 0
  }
  return { int: (max) => next() % max }
}

export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
export const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
export const HEX = '0123456789abcdef'

export const chars = (rng: Rng, alphabet: string, length: number): string =>
  Array.from({ length }, () => alphabet[rng.int(alphabet.length)]).join('')

export const pick = <T>(rng: Rng, items: readonly T[]): T => items[rng.int(items.length)] as T

export const digits = (rng: Rng, length: number): string =>
  String(1 + rng.int(9)) + chars(rng, '0123456789', length - 1)

const asUuid = (h: string) =>
  `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`

export const uuid = (rng: Rng): string => asUuid(chars(rng, HEX, 32))

/**
 * A UUID fixed by `seed`, from one hash: for the many secondary ids of a listed object, where a
 * seeded Rng (one hash per character) made large pages slow to render.
 */
export const stableUuid = (seed: string): string =>
  asUuid(createHash('sha256').update(seed).digest('hex'))

// Documentation ranges (RFC 5737), so a generated address never belongs to a real machine.
const TEST_NETS = ['192.0.2', '198.51.100', '203.0.113']
export const ipv4 = (rng: Rng): string => `${pick(rng, TEST_NETS)}.${1 + rng.int(254)}`

const ROLES = ['web', 'db', 'api', 'cache', 'worker', 'edge', 'mail', 'ci']
export const serverName = (rng: Rng, index: number): string => `${pick(rng, ROLES)}-${index + 1}`

/** A creation date in 2024-2025; the same one for the same seed. */
export const pastDate = (rng: Rng): string =>
  new Date(Date.UTC(2024, 0, 1) + rng.int(700) * 86_400_000).toISOString().replace('.000Z', 'Z')
