import { ErrorCode, type FailureReason, type ReasonDetails } from '@cloudlink/shared'
import { ApiError } from '../../errors.js'

/** `details` naming the cause, where one code covers several (the SPA says which). */
export const reason = (cause: FailureReason): ReasonDetails => ({ reason: cause })

export const invitationMessages = {
  invitation_invalid: 'Invitation not found; if you already have an account, sign in to accept it',
  invitation_used: 'This invitation was already accepted',
  invitation_expired: 'This invitation has expired',
} satisfies Partial<Record<FailureReason, string>>

/**
 * Unknown tokens, and an anonymous accept of an address that has an account, get one answer: a
 * guessed token reveals nothing, and a real one does not tell whether its address has an account.
 * Used and expired are told apart, so the invitee knows what to ask for: only the holder of a real
 * token (256 bits, never guessed) can learn it, and the state of their own link is all it learns.
 */
export const invitationNotFound = (cause: keyof typeof invitationMessages = 'invitation_invalid') =>
  new ApiError(ErrorCode.NotFound, invitationMessages[cause], reason(cause))
