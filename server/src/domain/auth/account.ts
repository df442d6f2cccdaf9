import type { EntityManager } from '@mikro-orm/postgresql'
import { UserEntity } from '../../db/entities/index.js'
import { validationFailed } from '../../errors.js'
import { endSessionsOf } from '../sessions/sessions-service.js'
import { assertNotCommon } from './common-passwords.js'
import type { Passwords } from './password.js'

/**
 * Changes the person's password after checking the current one. Every other session ends (and
 * sign-ins waiting for a second factor, and unused reset links); the one making the change stays.
 * Returns how many sessions ended.
 */
export async function changePassword(
  deps: { em: EntityManager; passwords: Passwords },
  input: { userId: string; sessionId: string; currentPassword: string; newPassword: string },
): Promise<number> {
  const { em, passwords } = deps
  const user = await em.findOneOrFail(UserEntity, { id: input.userId })
  await assertNotCommon(input.newPassword, 'newPassword')
  if (!(await passwords.verify(input.currentPassword, user.passwordHash)))
    throw validationFailed('currentPassword', 'is not your current password')
  const passwordHash = await passwords.hash(input.newPassword)
  return em.transactional(async (tx) => {
    await tx.execute(`update users set password_hash = ?, updated_at = now() where id = ?`, [
      passwordHash,
      input.userId,
    ])
    await tx.execute(`delete from mfa_challenges where user_id = ?`, [input.userId])
    await tx.execute(`delete from password_resets where user_id = ? and used_at is null`, [
      input.userId,
    ])
    return endSessionsOf(tx, input.userId, { except: input.sessionId })
  })
}
