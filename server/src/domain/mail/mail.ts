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

/**
 * Sends a message whose link the caller also hands back in its answer (invitations, reset links):
 * a failed send must not fail the request. Resolves whether the server took it; on failure `log`
 * gets only the error code, never the message, which holds the link.
 */
export async function sendBeside(
  mailer: Mailer,
  mail: () => Promise<Mail> | Mail,
  log: (code: string | undefined) => void,
): Promise<boolean> {
  try {
    return (await mailer.send(await mail())).accepted.length > 0
  } catch (err: unknown) {
    log(err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined)
    return false
  }
}
