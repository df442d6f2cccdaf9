import type { CloudAccount } from '@cloudlink/shared'
import { formatRelative } from './use-relative-time'
import { t } from '@/locales'

/**
 * What the last check found, as the card and the recheck message say it. `unreachable` keeps the
 * account `connected` (only a rejection flips it), so the status alone can't tell it apart from a
 * check that worked: this can.
 */
export type CheckState = 'ok' | 'unreachable' | 'rejected' | 'never'

export const checkState = (account: CloudAccount): CheckState =>
  account.lastCheck?.outcome ?? 'never'

/** Anything a person should look at: a bad status, no success for days, or a provider not reached. */
export const needsAttention = (account: CloudAccount): boolean =>
  account.status !== 'connected' || account.stale || checkState(account) === 'unreachable'

/** A message shown at one account's card, until dismissed (errors) or the next action (success). */
export interface RowNotice {
  tone: 'success' | 'warning' | 'error'
  text: string
}

/** "last confirmed working 2 h ago", or that it never was. */
export function lastConfirmed(account: CloudAccount, now = Date.now()): string {
  return account.lastHealthyAt
    ? t('accounts.check.lastConfirmed', { when: formatRelative(account.lastHealthyAt, now) })
    : t('accounts.check.neverConfirmed')
}

/** The outcome of a recheck the owner just asked for, in words: never "checked: Connected" alone. */
export function recheckNotice(
  account: CloudAccount,
  provider: string,
  now = Date.now(),
): RowNotice {
  const { label } = account
  const reason = account.lastCheck?.message ?? ''
  switch (checkState(account)) {
    case 'unreachable':
      return {
        tone: 'warning',
        text: t('accounts.recheck.unreachable', {
          label,
          provider,
          reason,
          confirmed: lastConfirmed(account, now),
        }),
      }
    case 'rejected':
      return {
        tone: 'error',
        text: t('accounts.recheck.rejected', {
          label,
          provider,
          reason: account.statusReason ?? reason,
          status: t(`account.status.${account.status}`),
        }),
      }
    default:
      return { tone: 'success', text: t('accounts.recheck.ok', { label }) }
  }
}
