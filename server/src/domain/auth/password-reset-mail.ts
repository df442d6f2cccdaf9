import type { Mail } from '../mail/mail.js'

/** The message that carries an owner-issued password reset link to the person it is for. */
export function passwordResetMail(input: {
  to: string
  owner: { name: string }
  workspaceName: string
  url: string
  expiresAt: Date
}): Mail {
  return {
    to: input.to,
    subject: `Reset your Cloudlink password`,
    text: [
      `${input.owner.name}, an owner of ${input.workspaceName} on Cloudlink, sent you a link to set a new password.`,
      '',
      `Set a new password: ${input.url}`,
      '',
      `The link works once and expires on ${input.expiresAt.toUTCString()}.`,
      'Using it signs you out everywhere; your second factor, if you have one, stays.',
      'If you did not ask for this, tell the owner and ignore this message.',
    ].join('\n'),
  }
}
