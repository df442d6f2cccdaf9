import { randomBytes, randomUUID } from 'node:crypto'
import type { EntityManager } from '@mikro-orm/postgresql'
import { ErrorCode } from '@cloudlink/shared'
import { MembershipEntity, UserEntity, type User } from '../../db/entities/index.js'
import { ApiError, conflict, forbidden, notFound } from '../../errors.js'
import { hashToken } from '../members/members-service.js'
import { endSessionsOf } from '../sessions/sessions-service.js'
import { assertNotCommon } from './common-passwords.js'
import type { Passwords } from './password.js'

const RESET_TTL_MS = 60 * 60 * 1000

/** One answer for unknown, used and expired links: a guessed token learns nothing. */
const resetNotFound = () =>
  new ApiError(ErrorCode.NotFound, 'This reset link is unknown, used or expired; ask for a new one')

/**
 * A one-time link to set a new password: 256 random bits, kept as a SHA-256, one hour. A new link
 * replaces the person's older unused ones.
 */
export async function issuePasswordReset(
  em: EntityManager,
  input: { userId: string; workspaceId: string | null; createdBy: string | null },
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url')
  const expiresAt = new Date(Date.now() + RESET_TTL_MS)
  await em.execute(`delete from password_resets where user_id = ? and used_at is null`, [
    input.userId,
  ])
  await em.execute(
    `insert into password_resets (id, token_hash, user_id, workspace_id, created_by, expires_at, created_at)
     values (?, ?, ?, ?, ?, ?, now())`,
    [randomUUID(), hashToken(token), input.userId, input.workspaceId, input.createdBy, expiresAt],
  )
  return { token, expiresAt }
}

/**
 * An owner may hand out a reset link only for someone whose every workspace they own: the link
 * opens the whole account, and the owner of one workspace must not get into another through it.
 */
export async function assertOwnerMayReset(
  em: EntityManager,
  ownerId: string,
  workspaceId: string,
  userId: string,
): Promise<User> {
  if (userId === ownerId)
    throw conflict('Change your own password under Security; a reset link is for someone else')
  const membership = await em.findOne(MembershipEntity, { workspaceId, userId })
  const user = membership ? await em.findOne(UserEntity, { id: userId }) : null
  if (!user) throw notFound('Member')
  const [row] = await em.execute<{ n: string | number }[]>(
    `select count(*) as n from memberships m
     where m.user_id = ? and not exists (
       select 1 from memberships o where o.workspace_id = m.workspace_id and o.user_id = ? and o.role = 'owner')`,
    [userId, ownerId],
  )
  if (Number(row?.n ?? 0) > 0)
    throw forbidden(
      `${user.email} also belongs to workspaces you do not own; they can change their password themselves, or the operator can reset it`,
    )
  return user
}

interface ResetRow {
  id: string
  user_id: string
  email: string
  expires_at: Date | string
}

async function usableReset(em: EntityManager, token: string, lock: boolean): Promise<ResetRow> {
  const rows = await em.execute<ResetRow[]>(
    `select r.id, r.user_id, u.email, r.expires_at from password_resets r
     join users u on u.id = r.user_id
     where r.token_hash = ? and r.used_at is null and r.expires_at > now()${lock ? ' for update of r' : ''}`,
    [hashToken(token)],
  )
  const row = rows[0]
  if (!row) throw resetNotFound()
  return row
}

export async function previewPasswordReset(em: EntityManager, token: string) {
  const row = await usableReset(em, token, false)
  return { email: row.email, expiresAt: new Date(row.expires_at).toISOString() }
}

/**
 * Sets the new password and spends the link. Every session of the person ends, and so do sign-ins
 * waiting for their second factor: whoever knew the old password is out. The second factor stays.
 */
export async function completePasswordReset(
  em: EntityManager,
  passwords: Passwords,
  token: string,
  password: string,
): Promise<{ userId: string; email: string }> {
  // Refusals first: a dead link costs a lookup, not a second of scrypt.
  await usableReset(em, token, false)
  await assertNotCommon(password, 'password')
  const passwordHash = await passwords.hash(password)
  return em.transactional(async (tx) => {
    const row = await usableReset(tx, token, true)
    await tx.execute(`update users set password_hash = ?, updated_at = now() where id = ?`, [
      passwordHash,
      row.user_id,
    ])
    await tx.execute(`update password_resets set used_at = now() where id = ?`, [row.id])
    await tx.execute(`delete from password_resets where user_id = ? and used_at is null`, [
      row.user_id,
    ])
    await tx.execute(`delete from mfa_challenges where user_id = ?`, [row.user_id])
    await endSessionsOf(tx, row.user_id)
    return { userId: row.user_id, email: row.email }
  })
}
