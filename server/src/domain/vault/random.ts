import { randomFillSync } from 'node:crypto'

const POOL_BYTES = 4096
const pool = Buffer.alloc(POOL_BYTES)
let offset = POOL_BYTES

/**
 * CSPRNG bytes from a refilled pool. Each `randomBytes()` call is a syscall that costs more than an
 * AES-GCM operation on a small credential; pooling amortises it (Node's randomUUID does the same).
 * Every byte is handed out once. The view is only valid until the next call: copy it or use it now.
 */
export function takeRandom(length: number): Buffer {
  if (length > POOL_BYTES) throw new RangeError('takeRandom: request larger than the pool')
  if (offset + length > POOL_BYTES) {
    randomFillSync(pool)
    offset = 0
  }
  const view = pool.subarray(offset, offset + length)
  offset += length
  return view
}
