import fp from 'fastify-plugin'
import { createPasswords, type HashingLimits, type Passwords } from '../../domain/auth/password.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Password hashing and checking behind the process's one hashing queue. */
    passwords: Passwords
  }
}

export default fp<{ limits?: HashingLimits }>(
  async (app, opts) => {
    app.decorate('passwords', createPasswords(opts.limits))
  },
  { name: 'passwords' },
)
