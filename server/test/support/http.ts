import type { LightMyRequestResponse } from 'fastify'
import type { Test } from 'tap'
import { ErrorCode } from '@cloudlink/shared'

const CODES: string[] = Object.values(ErrorCode)
const ENVELOPE_KEYS = new Set(['statusCode', 'code', 'message', 'requestId', 'details'])

/**
 * Asserts the contract's error envelope: `{ statusCode, code, message, requestId, details? }` with a
 * known code, and `details[].field` on every VALIDATION_FAILED.
 */
export function assertErrorShape(t: Test, res: LightMyRequestResponse, label = ''): void {
  const at = `${label} (${res.statusCode} ${res.body.slice(0, 200)})`
  let body: Record<string, unknown>
  try {
    body = res.json()
  } catch {
    t.fail(`error body is not JSON ${at}`)
    return
  }
  t.equal(body.statusCode, res.statusCode, `statusCode matches the status ${at}`)
  t.ok(CODES.includes(String(body.code)), `code is a known ErrorCode ${at}`)
  t.type(body.message, 'string', `message is a string ${at}`)
  t.ok(typeof body.requestId === 'string' && body.requestId.length > 0, `requestId is set ${at}`)
  const extra = Object.keys(body).filter((key) => !ENVELOPE_KEYS.has(key))
  t.same(extra, [], `no keys beyond the envelope ${at}`)
  if (body.code === ErrorCode.ValidationFailed) {
    const fields = validationFields(res)
    t.ok(fields.length > 0, `VALIDATION_FAILED names a field in details ${at}`)
  }
}

/** The `details[].field` names of a VALIDATION_FAILED response, or [] when there are none. */
export function validationFields(res: LightMyRequestResponse): string[] {
  const details = (res.json() as { details?: unknown }).details
  if (!Array.isArray(details)) return []
  return details.flatMap((d: { field?: unknown }) => (typeof d.field === 'string' ? [d.field] : []))
}

let ipCounter = 0
/**
 * A new client address per request. Rate limits key on the address, and the fuzz test sends far more
 * than a person would; without this it would mostly measure the limiter instead of validation.
 */
export function nextIp(): string {
  ipCounter += 1
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`
}
