import { Secret, TOTP } from 'otpauth'
import { TOTP as PARAMS } from '@cloudlink/shared'

const ISSUER = 'Cloudlink'
/** A code of the step before or after is accepted too: clocks drift and people type slowly. */
const WINDOW = 1

/** A fresh 160-bit secret (RFC 4226's recommended size), base32 as authenticator apps take it. */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32

const totpOf = (secret: string, label = '') =>
  new TOTP({
    issuer: ISSUER,
    label,
    algorithm: PARAMS.algorithm,
    digits: PARAMS.digits,
    period: PARAMS.period,
    secret: Secret.fromBase32(secret),
  })

/** The `otpauth://totp/…` URI an authenticator app reads from the QR code. */
export const otpauthUrl = (secret: string, email: string): string =>
  totpOf(secret, email).toString()

/**
 * The time step a code belongs to (the current one, or one either side), or null when it is no
 * code of this secret now. The caller refuses a step it has seen already (replay).
 * @see https://datatracker.ietf.org/doc/html/rfc6238#section-5.2
 */
export function totpStep(secret: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null
  const delta = totpOf(secret).validate({ token: code, timestamp: now, window: WINDOW })
  if (delta === null) return null
  return TOTP.counter({ period: PARAMS.period, timestamp: now }) + delta
}
