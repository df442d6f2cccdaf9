import { BadInput } from './http.js'
import type { Fault } from './types.js'

/** The armed fault and how many more requests it hits (null: until cleared). */
export function createFaultSwitch() {
  let armed: { fault: Fault; remaining: number | null } | null = null
  return {
    set(fault: Fault | null, times?: number) {
      if (times !== undefined && (!Number.isInteger(times) || times < 1)) {
        throw new BadInput('times must be a positive integer')
      }
      armed = fault ? { fault, remaining: times ?? null } : null
    },
    /** The fault for the request being handled, counting it against `times`. */
    take(): Fault | null {
      if (!armed) return null
      const { fault } = armed
      if (armed.remaining !== null && --armed.remaining === 0) armed = null
      return fault
    },
  }
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0

/** Validates a fault that arrived over the control API. */
export function parseFault(value: unknown): Fault | null {
  if (value === null) return null
  const f = (typeof value === 'object' ? value : {}) as Record<string, unknown>
  switch (f.kind) {
    case 'latency':
      if (isNumber(f.ms)) return { kind: 'latency', ms: f.ms }
      break
    case 'status':
      if (f.status === 500 || f.status === 502 || f.status === 503) {
        return { kind: 'status', status: f.status }
      }
      break
    case 'rate-limit':
      if (isNumber(f.retryAfter)) return { kind: 'rate-limit', retryAfter: f.retryAfter }
      break
    case 'hang':
    case 'reset':
    case 'malformed':
      return { kind: f.kind }
  }
  throw new BadInput(
    'fault must be null or one of latency{ms}, hang, status{500|502|503}, ' +
      'rate-limit{retryAfter}, reset, malformed',
  )
}
