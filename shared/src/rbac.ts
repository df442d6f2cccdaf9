import { Type, type Static } from 'typebox'

export const ROLES = ['owner', 'member'] as const
export type Role = (typeof ROLES)[number]
export const RoleSchema = Type.Enum(ROLES)

/**
 * Who may call a route. `public` needs no session, `user` any signed-in user, `member` and `owner`
 * a role in the route's `:workspaceId`.
 */
export const ACCESS_LEVELS = ['public', 'user', 'member', 'owner'] as const
export type Access = (typeof ACCESS_LEVELS)[number]

export const canManage = (role: Role | null | undefined): boolean => role === 'owner'

export type RoleValue = Static<typeof RoleSchema>
