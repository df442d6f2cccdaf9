import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import pLimit from 'p-limit'
import { ErrorCode } from '@cloudlink/shared'
import { ApiError } from '../../errors.js'

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  )

// OWASP's scrypt baseline (N=2^17, r=8, p=1); maxmem raised because N*r*128 is exactly 128 MiB.
const PARAMS = { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 }
const KEYLEN = 32

/** `scrypt$N$r$p$salt$hash`: parameters travel with the hash so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await scrypt(password.normalize('NFKC'), salt, KEYLEN, PARAMS)
  return [
    'scrypt',
    PARAMS.N,
    PARAMS.r,
    PARAMS.p,
    salt.toString('base64'),
    key.toString('base64'),
  ].join('$')
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64')
  const key = await scrypt(
    password.normalize('NFKC'),
    Buffer.from(salt, 'base64'),
    expected.length,
    {
      N: Number(n),
      r: Number(r),
      p: Number(p),
      maxmem: PARAMS.maxmem,
    },
  )
  return timingSafeEqual(key, expected)
}

/** Spent on unknown emails too, so response time does not reveal whether an account exists. */
let dummy: Promise<string> | undefined
const dummyHash = () => (dummy ??= hashPassword(randomBytes(16).toString('hex')))

export interface HashingLimits {
  /** scrypt runs at once (each holds one of libuv's four pool threads and 128 MiB). */
  concurrency: number
  /** Requests allowed to wait for a slot; one more is answered 503 at once. */
  queue: number
}

/**
 * Two of libuv's four threads: the others stay free for DNS lookups (every provider call) and
 * file reads, so a burst of sign-ins cannot stall the rest of the server.
 */
export const DEFAULT_HASHING: HashingLimits = { concurrency: 2, queue: 8 }

/** Seconds a refused caller is told to wait: about one queue's worth of hashing. */
const RETRY_AFTER_S = 2

export interface Passwords {
  hash(password: string): Promise<string>
  verify(password: string, stored: string): Promise<boolean>
  /** The same work as `verify`, for a sign-in whose email matches no account. Always false. */
  verifyNone(password: string): Promise<false>
  /** Hashes run so far and the most ever in flight at once: for tests and diagnostics. */
  stats(): { started: number; peak: number }
}

/**
 * Password hashing behind one small queue per process. scrypt is the most expensive thing the
 * public routes do; without a cap, a burst of sign-ins fills libuv's thread pool and everything
 * else that needs it waits. When the queue is full the caller gets 503 UNAVAILABLE with
 * Retry-After instead of an ever longer wait.
 */
export function createPasswords(limits: HashingLimits = DEFAULT_HASHING): Passwords {
  const limit = pLimit(limits.concurrency)
  let started = 0
  let peak = 0
  const gated = <T>(work: () => Promise<T>): Promise<T> => {
    if (limit.activeCount + limit.pendingCount >= limits.concurrency + limits.queue)
      return Promise.reject(
        new ApiError(
          ErrorCode.Unavailable,
          'The server is busy checking other passwords; try again in a moment',
          { retryAfter: RETRY_AFTER_S },
        ),
      )
    return limit(async () => {
      started++
      peak = Math.max(peak, limit.activeCount)
      return work()
    })
  }
  return {
    hash: (password) => gated(() => hashPassword(password)),
    verify: (password, stored) => gated(() => verifyPassword(password, stored)),
    verifyNone: async (password) => {
      const stored = await dummyHash()
      await gated(() => verifyPassword(password, stored))
      return false
    },
    stats: () => ({ started, peak }),
  }
}
