import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { EntityManager } from '@mikro-orm/postgresql'
import type { InviteBody, Member, Role } from '@cloudlink/shared'
import {
  InvitationEntity,
  MembershipEntity,
  UserEntity,
  WorkspaceEntity,
  type Invitation,
  type User,
  type UserRef,
  type Workspace,
} from '../../db/entities/index.js'
import { conflict, forbidden, notFound, validationFailed } from '../../errors.js'
import { invitationNotFound, reason } from './failures.js'
import type { Passwords } from '../auth/password.js'
import { normalizeEmail, userDto } from './dto.js'

const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000
/** Serializes first-run setup across instances: only one request can create the first owner. */
const SETUP_LOCK_KEY = 727_002

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')
export async function setupNeeded(em: EntityManager): Promise<boolean> {
  return (await em.count(UserEntity, {})) === 0
}

const setupDone = () => conflict('Setup is already complete')

export async function runSetup(
  em: EntityManager,
  passwords: Passwords,
  input: { email: string; password: string; name: string; workspaceName: string },
): Promise<{ user: User; workspace: Workspace }> {
  // Decided before the password is hashed: once set up, this public route costs one count query.
  if (!(await setupNeeded(em))) throw setupDone()
  const passwordHash = await passwords.hash(input.password)
  return em.transactional(async (tx) => {
    // tx.execute runs inside this transaction (getConnection().execute would not): the lock is held
    // until commit, and embedded PGlite's single connection is not waited on.
    await tx.execute('select pg_advisory_xact_lock(?)', [SETUP_LOCK_KEY])
    // Again under the lock: two first-run requests may both have passed the check above.
    if ((await tx.count(UserEntity, {})) > 0) throw setupDone()
    const user = tx.create(UserEntity, {
      id: randomUUID(),
      email: normalizeEmail(input.email),
      name: input.name.trim(),
      passwordHash,
    })
    const workspace = tx.create(WorkspaceEntity, {
      id: randomUUID(),
      name: input.workspaceName.trim(),
    })
    tx.create(MembershipEntity, { workspaceId: workspace.id, userId: user.id, role: 'owner' })
    return { user, workspace }
  })
}

export async function listMembers(em: EntityManager, workspaceId: string): Promise<Member[]> {
  const memberships = await em.find(
    MembershipEntity,
    { workspaceId },
    { orderBy: { createdAt: 'asc' } },
  )
  const users = await em.find(UserEntity, { id: { $in: memberships.map((m) => m.userId) } })
  const byId = new Map(users.map((u) => [u.id, u]))
  return memberships.flatMap((m) => {
    const user = byId.get(m.userId)
    return user ? [{ user: userDto(user), role: m.role, joinedAt: m.createdAt.toISOString() }] : []
  })
}

export async function workspacesOf(em: EntityManager, userId: string) {
  const memberships = await em.find(MembershipEntity, { userId }, { orderBy: { createdAt: 'asc' } })
  const workspaces = await em.find(WorkspaceEntity, {
    id: { $in: memberships.map((m) => m.workspaceId) },
  })
  const byId = new Map(workspaces.map((w) => [w.id, w]))
  return memberships.flatMap((m) => {
    const w = byId.get(m.workspaceId)
    return w ? [{ id: w.id, name: w.name, role: m.role, requireMfa: w.requireMfa }] : []
  })
}

export async function createInvitation(
  em: EntityManager,
  workspaceId: string,
  inviter: UserRef,
  body: InviteBody,
): Promise<{ invitation: Invitation; token: string }> {
  const email = normalizeEmail(body.email)
  const existingUser = await em.findOne(UserEntity, { email })
  if (
    existingUser &&
    (await em.findOne(MembershipEntity, { workspaceId, userId: existingUser.id }))
  )
    throw conflict(`${email} is already a member of this workspace`, reason('already_member'))
  const token = randomBytes(32).toString('base64url')
  const invitation = em.create(InvitationEntity, {
    id: randomUUID(),
    workspaceId,
    email,
    role: body.role,
    tokenHash: hashToken(token),
    expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
    acceptedAt: null,
    createdBy: inviter.id,
  })
  await em.flush()
  return { invitation, token }
}

/** An invitation that can still be accepted; otherwise why not (unknown, used, expired). */
async function usableInvitation(
  em: EntityManager,
  token: string,
  lock: boolean,
): Promise<Invitation> {
  const invitation = await em.findOne(
    InvitationEntity,
    { tokenHash: hashToken(token) },
    // refresh: the caller may have read the row unlocked a moment ago; the lock needs a query.
    lock ? { lockMode: 4 /* PESSIMISTIC_WRITE */, refresh: true } : {},
  )
  if (!invitation) throw invitationNotFound()
  if (invitation.acceptedAt) throw invitationNotFound('invitation_used')
  if (invitation.expiresAt.getTime() <= Date.now()) throw invitationNotFound('invitation_expired')
  return invitation
}

export async function previewInvitation(em: EntityManager, token: string) {
  const invitation = await usableInvitation(em, token, false)
  const workspace = await em.findOneOrFail(WorkspaceEntity, { id: invitation.workspaceId })
  return { invitation, workspace }
}

/**
 * Who may accept: the signed-in owner of the invited email joins with that account; without a
 * session, a new account is created for the invited email. Throws the refusal, or returns the
 * existing account to join with (null: create one).
 */
function acceptingUser(
  existing: User | null,
  input: { name?: string; password?: string },
  signedIn: UserRef | null,
): User | null {
  if (signedIn) {
    // Emails are unique: the signed-in user is the invited one exactly when this is its account
    // (the same answer whether or not the invited address has an account).
    if (!existing || existing.id !== signedIn.id)
      throw conflict(
        'This invitation is for another email address',
        reason('invitation_other_email'),
      )
    return existing
  }
  // Without a session an invitation only creates an account; for a registered address the answer is
  // the invalid-token one, so a token holder neither learns of the account nor sets its password.
  if (existing) throw invitationNotFound()
  if (!input.name) throw validationFailed('name', 'is required to create your account')
  if (!input.password) throw validationFailed('password', 'is required to create your account')
  return null
}

export async function acceptInvitation(
  em: EntityManager,
  passwords: Passwords,
  token: string,
  input: { name?: string; password?: string },
  signedIn: UserRef | null,
): Promise<{ user: User; workspace: Workspace }> {
  // Refusals are decided before hashing (a lookup, not a second of scrypt), again under the lock.
  const unlocked = await usableInvitation(em, token, false)
  const joining = acceptingUser(
    await em.findOne(UserEntity, { email: unlocked.email }),
    input,
    signedIn,
  )
  const passwordHash = joining ? null : await passwords.hash(input.password as string)
  return em.transactional(async (tx) => {
    const invitation = await usableInvitation(tx, token, true)
    const workspace = await tx.findOneOrFail(WorkspaceEntity, { id: invitation.workspaceId })
    const existing = await tx.findOne(UserEntity, { email: invitation.email })
    let user = acceptingUser(existing, input, signedIn)
    if (!user) {
      // An account may have appeared since the first decision, then the check above refused.
      if (!passwordHash) throw conflict('The invitation changed; open the link again')
      user = tx.create(UserEntity, {
        id: randomUUID(),
        email: invitation.email,
        name: (input.name as string).trim(),
        passwordHash,
      })
    }
    const already = await tx.findOne(MembershipEntity, {
      workspaceId: workspace.id,
      userId: user.id,
    })
    if (!already)
      tx.create(MembershipEntity, {
        workspaceId: workspace.id,
        userId: user.id,
        role: invitation.role,
      })
    invitation.acceptedAt = new Date()
    return { user, workspace }
  })
}

/**
 * Role changes and removals lock the workspace's owner rows first, so two owners demoting each
 * other at the same moment cannot leave the workspace with none. An owner who stops being one
 * takes their pending invitations along, in the same transaction: a link handed out by someone
 * who may no longer invite must not let anyone in.
 */
export async function changeRole(
  em: EntityManager,
  workspaceId: string,
  userId: string,
  role: Role,
): Promise<{ member: Member; revokedInvitations: number }> {
  return em.transactional(async (tx) => {
    const owners = await lockOwners(tx, workspaceId)
    const membership = await tx.findOne(MembershipEntity, { workspaceId, userId })
    if (!membership) throw notFound('Member')
    if (membership.role === 'owner' && role !== 'owner' && owners <= 1)
      throw conflict(
        'The last owner cannot be demoted; make someone else an owner first',
        reason('last_owner'),
      )
    const demoted = membership.role === 'owner' && role !== 'owner'
    membership.role = role
    const revokedInvitations = demoted ? await revokeInvitations(tx, workspaceId, userId) : 0
    const user = await tx.findOneOrFail(UserEntity, { id: userId })
    return {
      member: {
        user: userDto(user),
        role: membership.role,
        joinedAt: membership.createdAt.toISOString(),
      },
      revokedInvitations,
    }
  })
}

export async function removeMember(
  em: EntityManager,
  workspaceId: string,
  userId: string,
): Promise<{ revokedInvitations: number }> {
  return em.transactional(async (tx) => {
    const owners = await lockOwners(tx, workspaceId)
    const membership = await tx.findOne(MembershipEntity, { workspaceId, userId })
    if (!membership) throw notFound('Member')
    if (membership.role === 'owner' && owners <= 1)
      throw conflict(
        'The last owner cannot be removed; make someone else an owner first',
        reason('last_owner'),
      )
    tx.remove(membership)
    return { revokedInvitations: await revokeInvitations(tx, workspaceId, userId) }
  })
}

/** Deletes the pending invitations `userId` created in the workspace; accepted ones are history. */
function revokeInvitations(tx: EntityManager, workspaceId: string, userId: string) {
  return tx.nativeDelete(InvitationEntity, { workspaceId, createdBy: userId, acceptedAt: null })
}

async function lockOwners(tx: EntityManager, workspaceId: string): Promise<number> {
  // On the transaction's own connection, so the row locks last until commit.
  const rows = await tx.execute<{ user_id: string }[]>(
    `select user_id from memberships where workspace_id = ? and role = 'owner' for update`,
    [workspaceId],
  )
  return rows.length
}

export type WorkspaceCreation = 'owners' | 'anyone' | 'nobody'

/** Invitations create accounts, so by default only owners may start another workspace. */
export async function createWorkspace(
  em: EntityManager,
  owner: UserRef,
  name: string,
  policy: WorkspaceCreation,
): Promise<Workspace> {
  if (policy === 'nobody') throw forbidden('Creating workspaces is turned off in this installation')
  if (
    policy === 'owners' &&
    !(await em.count(MembershipEntity, { userId: owner.id, role: 'owner' }))
  )
    throw forbidden('Only people who own a workspace can create one in this installation')
  const workspace = em.create(WorkspaceEntity, { id: randomUUID(), name: name.trim() })
  em.create(MembershipEntity, { workspaceId: workspace.id, userId: owner.id, role: 'owner' })
  await em.flush()
  return workspace
}
