import type { FastifyInstance } from 'fastify'
import { Secret, TOTP } from 'otpauth'
import type { RecoveryCodes, TotpEnrolment } from '@cloudlink/shared'
import { createChallenge } from '../../src/domain/mfa/challenges.js'
import type { Session } from './fixtures.js'

/** A code of the secret for the time step `steps` away from now (the test computes it, like an app). */
export function totpCode(secret: string, steps = 0, now = Date.now()): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: now + steps * 30_000 })
}

/**
 * Waits out the last seconds of the current 30-second step, so a code computed for "two steps
 * ago" is still that when the server checks it (crossing the edge would shift it by one).
 */
export async function awayFromStepEdge(margin = 5_000): Promise<void> {
  const left = TOTP.remaining({ period: 30 })
  if (left < margin) await new Promise((resolve) => setTimeout(resolve, left + 200))
}

export interface Enrolled {
  secret: string
  recoveryCodes: string[]
}

/** Turns TOTP on for the session's person through the API (a fresh session is in sudo mode). */
export async function enrolTotp(app: FastifyInstance, session: Session): Promise<Enrolled> {
  const started = await app.inject({
    method: 'POST',
    url: '/api/v1/me/mfa/totp',
    headers: session.headers,
  })
  if (started.statusCode !== 200)
    throw new Error(`enrolment: ${started.statusCode} ${started.body}`)
  const { secret } = started.json() as TotpEnrolment
  const confirmed = await app.inject({
    method: 'POST',
    url: '/api/v1/me/mfa/totp/confirm',
    headers: session.headers,
    payload: { code: totpCode(secret) },
  })
  if (confirmed.statusCode !== 200)
    throw new Error(`confirming: ${confirmed.statusCode} ${confirmed.body}`)
  return { secret, recoveryCodes: (confirmed.json() as RecoveryCodes).recoveryCodes }
}

/** A sign-in waiting for its second factor, as a right password leaves it (no scrypt spent). */
export const mfaToken = (app: FastifyInstance, userId: string) =>
  createChallenge(app.orm.em.fork(), userId)
