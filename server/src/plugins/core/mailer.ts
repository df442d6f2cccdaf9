import fp from 'fastify-plugin'
import type { Mailer } from '../../domain/mail/mail.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Outgoing mail, or null when this installation sends none (no SMTP_URL). */
    mailer: Mailer | null
  }
}

/**
 * The one place outgoing mail is configured. Null for now: SMTP support (SMTP_URL / MAIL_FROM,
 * nodemailer) arrives with notifications and plugs its transport in here; every caller already
 * sends through `app.mailer` when it is set (invitation links today).
 */
export default fp(
  async (app) => {
    app.decorate('mailer', null)
  },
  { name: 'mailer', dependencies: ['config'] },
)
