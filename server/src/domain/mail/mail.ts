/** One outgoing message. `text` is always sent; `html` is its rendering, escaped by the sender. */
export interface Mail {
  to: string | string[]
  subject: string
  text: string
  html?: string
}

/** Which recipients the SMTP server took and which it refused (addresses, lower-cased). */
export interface SendResult {
  accepted: string[]
  rejected: string[]
}

/** Sends mail. Implemented over SMTP (smtp.ts) when SMTP_URL is set; nothing below routes sends. */
export interface Mailer {
  send(mail: Mail): Promise<SendResult>
  /** Ends pooled connections. */
  close(): void
}
