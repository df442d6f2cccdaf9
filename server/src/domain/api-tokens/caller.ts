import type { AuditActor, TokenScope } from '@cloudlink/shared'
import type { UserRef } from '../../db/entities/index.js'

/** An API token as a request carries it: what it may do, never its value or hash. */
export interface TokenIdentity {
  id: string
  name: string
  workspaceId: string
  scopes: TokenScope[]
  /** null: every account of the workspace. */
  accountIds: string[] | null
  readOnly: boolean
}

/** Who is calling: a signed-in person, or an API token acting in its own workspace. */
export type Caller = { type: 'user'; user: UserRef } | { type: 'token'; token: TokenIdentity }

export const userActor = (user: UserRef): AuditActor => ({
  type: 'user',
  id: user.id,
  name: user.name,
  email: user.email,
})

/** How the audit trail names a caller; a token is named by its id and name, never its value. */
export function auditActorOf(caller: Caller | null): AuditActor | null {
  if (!caller) return null
  if (caller.type === 'user') return userActor(caller.user)
  return { type: 'token', id: caller.token.id, name: caller.token.name }
}

/** A key per caller (rate limits): people by user id, tokens by token id. */
export const callerKey = (caller: Caller | null): string =>
  caller === null
    ? 'anonymous'
    : caller.type === 'user'
      ? caller.user.id
      : `token:${caller.token.id}`
