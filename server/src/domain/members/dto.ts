import type { User as UserDto, Workspace as WorkspaceDto } from '@cloudlink/shared'
import type { UserRef, Workspace } from '../../db/entities/index.js'

export const userDto = (u: UserRef): UserDto => ({ id: u.id, email: u.email, name: u.name })
export const workspaceDto = (w: Workspace): WorkspaceDto => ({ id: w.id, name: w.name })
export const normalizeEmail = (email: string) => email.trim().toLowerCase()
