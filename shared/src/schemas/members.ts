import { Type, type Static } from 'typebox'
import { EmailSchema, IdSchema, NameSchema, PasswordSchema, TimestampSchema } from './common.js'
import { RoleSchema } from '../rbac.js'
import { UserSchema, WorkspaceSchema } from './auth.js'
import { ActorSchema } from './cloud-accounts.js'

export const MemberSchema = Type.Object({
  user: UserSchema,
  role: RoleSchema,
  joinedAt: TimestampSchema,
})
export type Member = Static<typeof MemberSchema>

export const MemberListSchema = Type.Object({ items: Type.Array(MemberSchema) })
export type MemberList = Static<typeof MemberListSchema>

export const MemberParamsSchema = Type.Object({ workspaceId: IdSchema, userId: IdSchema })
export type MemberParams = Static<typeof MemberParamsSchema>

export const ChangeRoleBodySchema = Type.Object(
  { role: RoleSchema },
  { additionalProperties: false },
)
export type ChangeRoleBody = Static<typeof ChangeRoleBodySchema>

export const InviteBodySchema = Type.Object(
  { email: EmailSchema, role: RoleSchema },
  { additionalProperties: false },
)
export type InviteBody = Static<typeof InviteBodySchema>

export const InvitationSchema = Type.Object({
  id: IdSchema,
  email: Type.String(),
  role: RoleSchema,
  token: Type.String(),
  expiresAt: TimestampSchema,
  /** Where the invitee accepts, built from PUBLIC_URL. */
  url: Type.String(),
})
export type Invitation = Static<typeof InvitationSchema>

export const InvitationTokenParamsSchema = Type.Object({
  token: Type.String({ minLength: 16, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' }),
})
export type InvitationTokenParams = Static<typeof InvitationTokenParamsSchema>

/** name and password create the account; a signed-in invitee with the invited email sends neither. */
export const AcceptInvitationBodySchema = Type.Object(
  { name: Type.Optional(NameSchema), password: Type.Optional(PasswordSchema) },
  { additionalProperties: false },
)
export type AcceptInvitationBody = Static<typeof AcceptInvitationBodySchema>

export const AcceptInvitationResponseSchema = Type.Object({
  user: UserSchema,
  workspace: WorkspaceSchema,
})
export type AcceptInvitationResponse = Static<typeof AcceptInvitationResponseSchema>

/** What a not-yet-accepted invitation shows to the person holding its link. */
export const InvitationPreviewSchema = Type.Object({
  email: Type.String(),
  role: RoleSchema,
  workspace: WorkspaceSchema,
  expiresAt: TimestampSchema,
})
export type InvitationPreview = Static<typeof InvitationPreviewSchema>

/** An invitation not yet accepted, as owners see it: never its token (only a hash is kept). */
export const PendingInvitationSchema = Type.Object({
  id: IdSchema,
  email: Type.String(),
  role: RoleSchema,
  expiresAt: TimestampSchema,
  createdAt: TimestampSchema,
  /** Who invited; null when that person's account is gone. */
  invitedBy: Type.Union([ActorSchema, Type.Null()]),
})
export type PendingInvitation = Static<typeof PendingInvitationSchema>

export const PendingInvitationListSchema = Type.Object({
  items: Type.Array(PendingInvitationSchema),
})
export type PendingInvitationList = Static<typeof PendingInvitationListSchema>

export const InvitationParamsSchema = Type.Object({ workspaceId: IdSchema, invitationId: IdSchema })
export type InvitationParams = Static<typeof InvitationParamsSchema>
