import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { rateLimited } from '../../errors.js'

/** Counts failures only, per key: a success spends nothing. */
export interface FailureLimit {
  /** Throws 429 RATE_LIMITED when the key has no failures left. */
  assertOpen(request: FastifyRequest, key: string): Promise<void>
  /** Counts one failure for the key. */
  fail(request: FastifyRequest, key: string): Promise<void>
}

export interface SecurityLimitOptions {
  /** Wrong second-factor codes per person in 15 minutes, over every route that takes one. */
  codesPerUser?: number
  /** Wrong passwords per signed-in person in 15 minutes (reauth, password change). */
  passwordsPerUser?: number
}

declare module 'fastify' {
  interface FastifyInstance {
    securityLimits: { codes: FailureLimit; passwords: FailureLimit }
  }
}

const keys = new WeakMap<FastifyRequest, string>()

/** A failure counter on the rate-limit store (Redis when configured: shared by every instance). */
export function failureLimit(
  app: FastifyInstance,
  opts: { name: string; max: number; timeWindow: string; message: string },
): FailureLimit {
  const limiter = app.createRateLimit({
    max: opts.max,
    timeWindow: opts.timeWindow,
    keyGenerator: (request) => `${opts.name}:${keys.get(request) ?? ''}`,
  })
  return {
    async assertOpen(request, key) {
      keys.set(request, key)
      const result = await limiter(request, { increment: false })
      if (!result.isAllowed && result.remaining <= 0)
        throw rateLimited(opts.message, result.ttlInSeconds)
    },
    async fail(request, key) {
      keys.set(request, key)
      await limiter(request)
    },
  }
}

/**
 * The limits on guessing a signed-in person's secrets, per person and not per address, so a second
 * factor cannot be brute-forced from many addresses (ASVS 2.2.1): one counter for codes, whichever
 * route takes them (the sign-in's second step, reauth, turning MFA off), and one for passwords.
 */
export default fp<SecurityLimitOptions>(
  async (app, opts) => {
    app.decorate('securityLimits', {
      codes: failureLimit(app, {
        name: 'mfa-fail',
        max: opts.codesPerUser ?? 10,
        timeWindow: '15 minutes',
        message: 'Too many wrong codes for this account; try again later',
      }),
      passwords: failureLimit(app, {
        name: 'password-fail',
        max: opts.passwordsPerUser ?? 10,
        timeWindow: '15 minutes',
        message: 'Too many wrong passwords; try again later',
      }),
    })
  },
  { name: 'security-limits', dependencies: ['rate-limit'] },
)
