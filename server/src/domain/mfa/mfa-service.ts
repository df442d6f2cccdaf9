import { randomUUID } from 'node:crypto'
import type { EntityManager } from '@mikro-orm/postgresql'
import { RECOVERY_CODE_COUNT, type TotpEnrolment } from '@cloudlink/shared'
import type { UserRef } from '../../db/entities/index.js'
import { conflict, validationFailed } from '../../errors.js'
import { sealedOfRow } from '../vault/sealed-row.js'
import type { Vault } from '../vault/vault.js'
import {
  hashRecoveryCode,
  isRecoveryCodeShape,
  newRecoveryCode,
  normalizeCode,
  recoveryCodeMatches,
} from './recovery-codes.js'
import { newTotpSecret, otpauthUrl, totpStep } from './totp.js'

export interface MfaDeps {
  em: EntityManager
  vault: Vault
}

/** Sealed under a label of its own: the blob opens only as this person's TOTP secret. */
export const totpAad = (userId: string) => ({
  workspaceId: 'user-mfa',
  accountId: `totp:${userId}`,
})

interface MfaRow {
  user_id: string
  key_id: string
  wrapped_key: Uint8Array
  sealed_secret: Uint8Array
  confirmed_at: Date | string | null
}

async function mfaRow(em: EntityManager, userId: string): Promise<MfaRow | null> {
  const rows = await em.execute<MfaRow[]>(
    `select user_id, key_id, wrapped_key, sealed_secret, confirmed_at from user_mfa where user_id = ?`,
    [userId],
  )
  return rows[0] ?? null
}

const secretOf = (vault: Vault, row: MfaRow): string =>
  vault.open<{ secret: string }>(sealedOfRow(row, 'sealed_secret'), totpAad(row.user_id)).secret

export async function mfaStatus(
  em: EntityManager,
  userId: string,
): Promise<{ enabled: boolean; recoveryCodesLeft: number }> {
  const [row] = await em.execute<{ enabled: boolean | null; left: string | number }[]>(
    `select (select confirmed_at is not null from user_mfa where user_id = ?) as enabled,
            (select count(*) from recovery_codes where user_id = ? and used_at is null) as left`,
    [userId, userId],
  )
  const enabled = row?.enabled === true
  return { enabled, recoveryCodesLeft: enabled ? Number(row?.left ?? 0) : 0 }
}

/**
 * Starts (or restarts) enrolment with a new secret, pending until a code of it is confirmed. A
 * person with a confirmed second factor must turn it off first: replacing it silently would let a
 * stolen session swap the victim's authenticator for the thief's.
 */
export async function startEnrolment(deps: MfaDeps, user: UserRef): Promise<TotpEnrolment> {
  const secret = newTotpSecret()
  const sealed = deps.vault.seal({ secret }, totpAad(user.id))
  const rows = await deps.em.execute<{ user_id: string }[]>(
    `insert into user_mfa (user_id, key_id, wrapped_key, sealed_secret, created_at)
     values (?, ?, ?, ?, now())
     on conflict (user_id) do update
       set key_id = excluded.key_id, wrapped_key = excluded.wrapped_key,
           sealed_secret = excluded.sealed_secret, created_at = now(), last_used_step = null
       where user_mfa.confirmed_at is null
     returning user_id`,
    [user.id, sealed.keyId, sealed.wrappedKey, sealed.ciphertext],
  )
  if (rows.length === 0)
    throw conflict('A second factor is on already; turn it off first to set up another')
  return { secret, otpauthUrl: otpauthUrl(secret, user.email) }
}

/**
 * Takes a code's time step if it is later than the last one used: the conditional UPDATE makes
 * two requests racing with the same code (on any instances) end with one winner.
 */
async function claimStep(em: EntityManager, userId: string, step: number, confirm: boolean) {
  const rows = await em.execute<{ user_id: string }[]>(
    `update user_mfa set last_used_step = ?${confirm ? ', confirmed_at = now()' : ''}
     where user_id = ? and confirmed_at is ${confirm ? '' : 'not '}null
       and (last_used_step is null or last_used_step < ?)
     returning user_id`,
    [step, userId, step],
  )
  return rows.length > 0
}

/** Replaces the person's recovery codes with ten new ones, returned this once. */
async function replaceRecoveryCodes(em: EntityManager, userId: string): Promise<string[]> {
  await em.execute(`delete from recovery_codes where user_id = ?`, [userId])
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode)
  const values = codes.map(() => '(?, ?, ?, ?, now())').join(', ')
  await em.execute(
    `insert into recovery_codes (id, user_id, salt, code_hash, created_at) values ${values}`,
    codes.flatMap((code) => {
      const { salt, hash } = hashRecoveryCode(code)
      return [randomUUID(), userId, salt, hash]
    }),
  )
  return codes
}

/** Turns the pending second factor on with a code of it; the answer holds the recovery codes. */
export async function confirmEnrolment(
  deps: MfaDeps,
  userId: string,
  code: string,
): Promise<string[]> {
  return deps.em.transactional(async (tx) => {
    const row = await mfaRow(tx, userId)
    if (!row) throw conflict('Start setting up the second factor first')
    if (row.confirmed_at) throw conflict('The second factor is on already')
    const step = totpStep(secretOf(deps.vault, row), normalizeCode(code))
    if (step === null)
      throw validationFailed('code', 'is not the current code of your authenticator app')
    if (!(await claimStep(tx, userId, step, true)))
      throw validationFailed('code', 'was used already; wait for the next one')
    return replaceRecoveryCodes(tx, userId)
  })
}

export type SecondFactor = 'totp' | 'recovery'

/**
 * Checks a code of the person's confirmed second factor and uses it up: a TOTP code of a step not
 * seen before, or an unused recovery code. Null when there is no second factor, or the code is
 * wrong, replayed or used.
 */
export async function useSecondFactor(
  deps: MfaDeps,
  userId: string,
  code: string,
): Promise<SecondFactor | null> {
  const row = await mfaRow(deps.em, userId)
  if (!row?.confirmed_at) return null
  const typed = normalizeCode(code)
  if (/^\d{6}$/.test(typed)) {
    const step = totpStep(secretOf(deps.vault, row), typed)
    return step !== null && (await claimStep(deps.em, userId, step, false)) ? 'totp' : null
  }
  if (!isRecoveryCodeShape(typed)) return null
  const unused = await deps.em.execute<{ id: string; salt: string; code_hash: string }[]>(
    `select id, salt, code_hash from recovery_codes where user_id = ? and used_at is null`,
    [userId],
  )
  const match = unused.find((c) => recoveryCodeMatches(typed, { salt: c.salt, hash: c.code_hash }))
  if (!match) return null
  const used = await deps.em.execute<{ id: string }[]>(
    `update recovery_codes set used_at = now() where id = ? and used_at is null returning id`,
    [match.id],
  )
  return used.length > 0 ? 'recovery' : null
}

export async function hasMfa(em: EntityManager, userId: string): Promise<boolean> {
  return (await mfaRow(em, userId))?.confirmed_at != null
}

/** Turns the second factor off with one of its codes (a recovery code too: the phone is lost). */
export async function disableMfa(deps: MfaDeps, userId: string, code: string): Promise<void> {
  if (!(await hasMfa(deps.em, userId))) throw conflict('No second factor is on')
  if (!(await useSecondFactor(deps, userId, code)))
    throw validationFailed('code', 'is not a current code or an unused recovery code')
  await removeMfa(deps.em, userId)
}

/** Drops the second factor and its recovery codes (also the operator's reset, --remove-mfa). */
export async function removeMfa(em: EntityManager, userId: string): Promise<void> {
  await em.execute(`delete from recovery_codes where user_id = ?`, [userId])
  await em.execute(`delete from user_mfa where user_id = ?`, [userId])
}
