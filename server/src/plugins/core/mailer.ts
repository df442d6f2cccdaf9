import fp from 'fastify-plugin'
import { publicUrl } from '../../config.js'
import type { Mailer } from '../../domain/mail/mail.js'
import { createSmtpMailer, mailFrom } from '../../domain/mail/smtp.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Outgoing mail, or null when this installation sends none (no SMTP_URL). */
    mailer: Mailer | null
  }
}

/**
 * The one place outgoing mail is configured: SMTP_URL and MAIL_FROM. Invitations send through
 * `app.mailer`; notification mail is sent by the notify job, which builds the same mailer.
 */
export default fp(
  async (app) => {
    const { SMTP_URL, MAIL_FROM } = app.config
    const mailer = SMTP_URL
      ? createSmtpMailer({ url: SMTP_URL, from: mailFrom(MAIL_FROM, publicUrl(app.config)) })
      : null
    app.decorate('mailer', mailer)
    app.addHook('onClose', async () => mailer?.close())
  },
  { name: 'mailer', dependencies: ['config'] },
)
