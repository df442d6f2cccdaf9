import { Type, type Static } from 'typebox'
import {
  EmailSchema,
  IdSchema,
  LoginPasswordSchema,
  NameSchema,
  PasswordSchema,
  TimestampSchema,
} from './common.js'
import { TextSchema } from './text.js'
import { RoleSchema } from '../rbac.js'
import { SecurityStatusSchema } from './security.js'

export const UserSchema = Type.Object({ id: IdSchema, email: Type.String(), name: Type.String() })
export type User = Static<typeof UserSchema>

export const WorkspaceSchema = Type.Object({ id: IdSchema, name: Type.String() })
export type Workspace = Static<typeof WorkspaceSchema>

export const WorkspaceWithRoleSchema = Type.Object({
  id: IdSchema,
  name: Type.String(),
  role: RoleSchema,
  /** Members must have a second factor to use the workspace. */
  requireMfa: Type.Optional(Type.Boolean()),
})
export type WorkspaceWithRole = Static<typeof WorkspaceWithRoleSchema>

export const SetupStatusSchema = Type.Object({ needed: Type.Boolean() })
export type SetupStatus = Static<typeof SetupStatusSchema>

export const SetupBodySchema = Type.Object(
  { email: EmailSchema, password: PasswordSchema, name: NameSchema, workspaceName: NameSchema },
  { additionalProperties: false },
)
export type SetupBody = Static<typeof SetupBodySchema>

export const SetupResponseSchema = Type.Object({
  user: UserSchema,
  workspace: WorkspaceSchema,
  token: Type.String(),
  expiresAt: TimestampSchema,
})
export type SetupResponse = Static<typeof SetupResponseSchema>

export const LoginBodySchema = Type.Object(
  {
    // Not EmailSchema: a malformed address gets the same 401 as a wrong one.
    email: TextSchema({ minLength: 1, maxLength: 254 }),
    password: LoginPasswordSchema,
  },
  { additionalProperties: false },
)
export type LoginBody = Static<typeof LoginBodySchema>

export const LoginResponseSchema = Type.Object({
  token: Type.String(),
  expiresAt: TimestampSchema,
  user: UserSchema,
  /** A workspace of theirs requires a second factor: the SPA sends them to enrol first. */
  mfaEnrolmentRequired: Type.Optional(Type.Boolean()),
})
export type LoginResponse = Static<typeof LoginResponseSchema>

export const MeResponseSchema = Type.Object({
  user: UserSchema,
  workspaces: Type.Array(WorkspaceWithRoleSchema),
  security: Type.Optional(SecurityStatusSchema),
})
export type MeResponse = Static<typeof MeResponseSchema>

export const CreateWorkspaceBodySchema = Type.Object(
  { name: NameSchema },
  { additionalProperties: false },
)
export type CreateWorkspaceBody = Static<typeof CreateWorkspaceBodySchema>

/** At least one of the two; `requireMfa` makes every member enrol a second factor. */
export const UpdateWorkspaceBodySchema = Type.Object(
  { name: Type.Optional(NameSchema), requireMfa: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateWorkspaceBody = Static<typeof UpdateWorkspaceBodySchema>
