/** One outgoing message. Plain text: nothing in it is rendered as HTML by us. */
export interface Mail {
  to: string
  subject: string
  text: string
}

/** Sends mail. Implemented by the mailer plugin when SMTP_URL is set; nothing below routes sends. */
export interface Mailer {
  send(mail: Mail): Promise<void>
}
