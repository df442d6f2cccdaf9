import { createTransport } from 'nodemailer'
import type { Mail, Mailer, SendResult } from './mail.js'

export interface SmtpSettings {
  /** `smtp://user:pass@host:port` or `smtps://…` (implicit TLS). */
  url: string
  from: string
  /** Deadline for connecting, the greeting and each command (ms). */
  timeoutMs?: number
}

const address = (entry: unknown): string =>
  (typeof entry === 'string'
    ? entry
    : typeof entry === 'object' && entry !== null && 'address' in entry
      ? String(entry.address)
      : String(entry)
  ).toLowerCase()

/**
 * Mail over SMTP with nodemailer. A plain smtp:// server that offers STARTTLS is upgraded
 * (nodemailer's default); credentials come from the URL and never reach a log line, because
 * nodemailer's own logger stays off.
 * @see https://nodemailer.com/smtp/
 */
export function createSmtpMailer({ url, from, timeoutMs = 15_000 }: SmtpSettings): Mailer {
  const transport = createTransport(url, { from })
  // The URL form takes no timeouts; they are set on the parsed options.
  Object.assign(transport.options, {
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs * 2,
    logger: false,
    debug: false,
  })
  return {
    async send(mail: Mail): Promise<SendResult> {
      const info = await transport.sendMail({
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html ? { html: mail.html } : {}),
      })
      return {
        accepted: (info.accepted ?? []).map(address),
        rejected: (info.rejected ?? []).map(address),
      }
    },
    close: () => transport.close(),
  }
}

/** MAIL_FROM, or an address at PUBLIC_URL's host when it is unset. */
export function mailFrom(configured: string | undefined, publicUrl: string): string {
  if (configured) return configured
  const host = new URL(publicUrl).hostname.replace(/^\[|\]$/g, '') || 'localhost'
  return `Cloudlink <cloudlink@${host}>`
}
