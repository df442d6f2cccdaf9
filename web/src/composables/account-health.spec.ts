import { describe, expect, it } from 'vitest'
import { checkState, needsAttention, recheckNotice } from './account-health'
import { makeAccount } from '@/test/fixtures'

const hour = 3600_000
const now = Date.now()

describe('account health', () => {
  it('a recheck that worked says so, not just the status', () => {
    expect(recheckNotice(makeAccount(), 'Hetzner Cloud', now)).toEqual({
      tone: 'success',
      text: 'Production was checked just now: the credential works.',
    })
  })

  it('a recheck that could not reach the provider says why and when it last worked', () => {
    const account = makeAccount({
      label: 'Edge',
      lastHealthyAt: new Date(now - 2 * hour).toISOString(),
      lastCheck: {
        outcome: 'unreachable',
        at: new Date(now).toISOString(),
        message: 'Vultr answered with a server error (HTTP 503)',
        latencyMs: 30,
      },
    })
    const notice = recheckNotice(account, 'Vultr', now)
    expect(notice.tone).toBe('warning')
    expect(notice.text).toBe(
      "Edge couldn't be checked: couldn't reach Vultr (Vultr answered with a server error (HTTP 503)). It stays connected; last confirmed working 2 h ago.",
    )
    expect(notice.text).not.toContain('checked: Connected')
  })

  it('a rejected recheck names the provider, its reason and the new status', () => {
    const account = makeAccount({
      status: 'needs_attention',
      statusReason: 'The token was revoked (401)',
      lastCheck: {
        outcome: 'rejected',
        at: new Date(now).toISOString(),
        message: 'x',
        latencyMs: 1,
      },
    })
    expect(recheckNotice(account, 'Hetzner Cloud', now)).toEqual({
      tone: 'error',
      text: 'Production was checked just now: Hetzner Cloud rejected the credential (The token was revoked (401)). Needs attention.',
    })
  })

  it.each([
    [{}, false],
    [{ status: 'needs_attention' as const }, true],
    [{ status: 'expired' as const }, true],
    [{ stale: true }, true],
    [
      {
        lastCheck: {
          outcome: 'unreachable' as const,
          at: new Date(now).toISOString(),
          message: 'x',
          latencyMs: 1,
        },
      },
      true,
    ],
  ])('needs attention: %o → %s', (overrides, expected) => {
    expect(needsAttention(makeAccount(overrides))).toBe(expected)
  })

  it('an account never checked has no outcome', () => {
    expect(checkState(makeAccount({ lastCheck: null }))).toBe('never')
  })
})
