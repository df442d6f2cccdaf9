import { Type, type Static } from 'typebox'
import { IdSchema, LoginPasswordSchema, PasswordSchema, TimestampSchema } from './common.js'

/** RFC 6238 as every authenticator app does it: SHA-1, 6 digits, 30 seconds. */
export const TOTP = { algorithm: 'SHA1', digits: 6, period: 30 } as const
export const RECOVERY_CODE_COUNT = 10
/** How long a password or code confirmation unlocks sensitive actions (sudo mode). */
export const SUDO_WINDOW_MINUTES = 10

/**
 * A TOTP code (6 digits) or a recovery code (`xxxx-xxxx-xxxx`). Spaces and dashes are what people
 * type between groups; the server drops them (and the case) before comparing.
 */
export const MfaCodeSchema = Type.String({
  minLength: 6,
  maxLength: 24,
  transform: ['trim'],
  pattern: '^[0-9A-Za-z -]*$',
  errorMessage: { pattern: 'must be a 6-digit code or a recovery code' },
})

/** One sign-in of the person; `ip` is the address it was last seen from. */
export const SessionInfoSchema = Type.Object({
  id: IdSchema,
  createdAt: TimestampSchema,
  lastSeenAt: TimestampSchema,
  ip: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  /** The session making this request. */
  current: Type.Boolean(),
})
export type SessionInfo = Static<typeof SessionInfoSchema>

export const SessionListSchema = Type.Object({ items: Type.Array(SessionInfoSchema) })
export type SessionList = Static<typeof SessionListSchema>

export const SessionParamsSchema = Type.Object({ sessionId: IdSchema })
export type SessionParams = Static<typeof SessionParamsSchema>

export const ChangePasswordBodySchema = Type.Object(
  { currentPassword: LoginPasswordSchema, newPassword: PasswordSchema },
  { additionalProperties: false },
)
export type ChangePasswordBody = Static<typeof ChangePasswordBodySchema>

/** A pending TOTP enrolment: the secret (base32) and the URI a QR code carries. */
export const TotpEnrolmentSchema = Type.Object({ secret: Type.String(), otpauthUrl: Type.String() })
export type TotpEnrolment = Static<typeof TotpEnrolmentSchema>

export const MfaCodeBodySchema = Type.Object(
  { code: MfaCodeSchema },
  { additionalProperties: false },
)
export type MfaCodeBody = Static<typeof MfaCodeBodySchema>

/** Shown once, when the second factor is confirmed; only hashes are kept. */
export const RecoveryCodesSchema = Type.Object({ recoveryCodes: Type.Array(Type.String()) })
export type RecoveryCodes = Static<typeof RecoveryCodesSchema>

/** `details` of 401 MFA_REQUIRED: the password was right, a code finishes the sign-in. */
export interface MfaRequiredDetails {
  mfaToken: string
}

export const MFA_TOKEN_PATTERN = '^[A-Za-z0-9_-]+$'

export const MfaLoginBodySchema = Type.Object(
  {
    mfaToken: Type.String({ minLength: 20, maxLength: 200, pattern: MFA_TOKEN_PATTERN }),
    code: MfaCodeSchema,
  },
  { additionalProperties: false },
)
export type MfaLoginBody = Static<typeof MfaLoginBodySchema>

/** Exactly one of the two: the password, or a code of the second factor. */
export const ReauthBodySchema = Type.Object(
  { password: Type.Optional(LoginPasswordSchema), code: Type.Optional(MfaCodeSchema) },
  { additionalProperties: false },
)
export type ReauthBody = Static<typeof ReauthBodySchema>

/** An owner-issued reset link: shown once, single use, one hour. */
export const PasswordResetLinkSchema = Type.Object({
  url: Type.String(),
  expiresAt: TimestampSchema,
  /** The link was also mailed to the person (SMTP_URL set and the server took the message). */
  mailed: Type.Boolean(),
})
export type PasswordResetLink = Static<typeof PasswordResetLinkSchema>

export const PasswordResetParamsSchema = Type.Object({
  resetToken: Type.String({ minLength: 16, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' }),
})
export type PasswordResetParams = Static<typeof PasswordResetParamsSchema>

export const PasswordResetPreviewSchema = Type.Object({
  email: Type.String(),
  expiresAt: TimestampSchema,
})
export type PasswordResetPreview = Static<typeof PasswordResetPreviewSchema>

export const PasswordResetBodySchema = Type.Object(
  { password: PasswordSchema },
  { additionalProperties: false },
)
export type PasswordResetBody = Static<typeof PasswordResetBodySchema>

/** What /me says about the person's own security. */
export const SecurityStatusSchema = Type.Object({
  mfaEnabled: Type.Boolean(),
  /** Unused recovery codes left (0 without a second factor). */
  recoveryCodesLeft: Type.Integer(),
  /** A workspace of theirs requires a second factor they do not have: enrol before anything else. */
  mfaEnrolmentRequired: Type.Boolean(),
})
export type SecurityStatus = Static<typeof SecurityStatusSchema>
