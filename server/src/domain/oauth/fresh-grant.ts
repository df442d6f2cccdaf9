import { setTimeout as sleep } from 'node:timers/promises'
import type { EntityManager } from '@mikro-orm/postgresql'
import type { CloudAccount } from '../../db/entities/index.js'
import { unreachable, type Unreachable } from '../../providers/core/http.js'
import type { Rejected } from '../../providers/core/outcome.js'
import type { OAuthSpec } from '../../providers/core/oauth/spec.js'
import type { ProviderContext, ProviderModule } from '../../providers/core/types.js'
import type { CheckRun } from '../cloud-accounts/run-check.js'
import { sealedOfRow } from '../vault/sealed-row.js'
import type { Vault } from '../vault/vault.js'
import {
  isGrant,
  needsRefresh,
  toGrant,
  validateGrant,
  type GrantCredentials,
} from '../../providers/core/oauth/grant.js'
import { refreshTokens } from '../../providers/core/oauth/token.js'

/** How long a renewal that lost a race on a rotating token waits for the winner's write. */
const RACE_GRACE_MS = 1000

const tails = new Map<string, Promise<void>>()

/**
 * One renewal per account at a time in this process (a manual recheck meeting the in-process
 * sweep); across processes the compare-and-set below keeps it safe.
 */
async function exclusive<T>(key: string, run: () => Promise<T>): Promise<T> {
  const before = tails.get(key) ?? Promise.resolve()
  let release = () => {}
  const turn = new Promise<void>((resolve) => (release = resolve))
  const tail = before.then(() => turn)
  tails.set(key, tail)
  await before
  try {
    return await run()
  } finally {
    release()
    if (tails.get(key) === tail) tails.delete(key)
  }
}

/** A check, and the sealed credential it ended with when a renewal replaced the stored one. */
export interface GrantCheckRun extends CheckRun {
  ciphertext?: Buffer
}

/** The provider refused the access token itself (as opposed to a permission or a scope). */
const tokenRefused = (run: CheckRun) =>
  run.result.outcome === 'rejected' &&
  (run.result.providerStatus === 401 || run.result.providerCode === 'invalid_token')

type GrantDeps = { em: EntityManager; vault: Vault }
interface GrantTarget {
  module: ProviderModule
  ctx: ProviderContext
  account: CloudAccount
  credentials: Record<string, string>
}

/**
 * A stored grant and its renewal. A renewed grant is sealed and written at once, in one
 * compare-and-set statement on the ciphertext the renewal started from. Waiting for the transaction
 * that records a check would lose it whenever that check is not recorded (the sweep drops
 * rate-limited and interrupted checks), and DigitalOcean's refresh token is already spent by then.
 * The compare-and-set also makes concurrent renewals safe without holding a row lock over an HTTP
 * call: the loser of a race on a rotating token gets `invalid_grant`, finds the row changed and
 * carries on with the winner's grant instead of reporting an expiry.
 */
function grantKeeper(deps: GrantDeps, target: GrantTarget, spec: OAuthSpec) {
  const { module, ctx, account } = target
  const started = performance.now()
  const elapsed = () => Math.round(performance.now() - started)
  const aad = { workspaceId: account.workspaceId, accountId: account.id }
  let grant: GrantCredentials = validateGrant(target.credentials)
  let current: Buffer = Buffer.from(account.ciphertext)
  let replaced: Buffer | undefined

  /** What the row holds now (another check's renewal, or a reconnect); null when it is gone. */
  async function reload(): Promise<boolean> {
    const rows = await deps.em.execute<Record<string, unknown>[]>(
      `select key_id, wrapped_key, ciphertext from cloud_accounts where id = ?`,
      [account.id],
    )
    if (!rows[0]) return false
    const stored = sealedOfRow(rows[0])
    if (stored.ciphertext.equals(current)) return false
    const opened = deps.vault.open<Record<string, string>>(stored, aad)
    if (!isGrant(opened)) return false
    grant = validateGrant(opened)
    current = stored.ciphertext
    replaced = stored.ciphertext
    return true
  }

  async function renewNow(force: boolean): Promise<CheckRun | null> {
    if (!force && !needsRefresh(grant)) return null
    const outcome = await refreshTokens(ctx, module.descriptor.name, spec, grant.refreshToken)
    if (outcome.kind === 'failed') {
      if (
        outcome.result.outcome === 'rejected' &&
        outcome.result.providerCode === 'invalid_grant'
      ) {
        // A rotating token spent by a renewal elsewhere (another instance) whose write has not
        // landed yet looks exactly like a revoked grant: look again before calling it expired.
        if (await reload()) return null
        if (spec.rotatesRefreshToken) {
          await sleep(RACE_GRACE_MS)
          if (await reload()) return null
        }
      }
      return { result: outcome.result, latencyMs: elapsed() }
    }
    const next = toGrant(outcome.tokens, grant.subject, grant)
    const sealed = deps.vault.seal(next, aad)
    const rows = await deps.em.execute<{ id: string }[]>(
      `update cloud_accounts
          set key_id = ?, wrapped_key = ?, ciphertext = ?, version = version + 1, updated_at = ?
        where id = ? and ciphertext = ?
        returning id`,
      [sealed.keyId, sealed.wrappedKey, sealed.ciphertext, new Date(), account.id, current],
    )
    if (rows.length === 0) {
      // Replaced meanwhile (a reconnect, another renewal): check what is stored now instead.
      if (await reload()) return null
      return {
        result: unreachable('server_error', 'The account changed while its token was renewed'),
        latencyMs: elapsed(),
      }
    }
    grant = next
    current = sealed.ciphertext
    replaced = sealed.ciphertext
    return null
  }

  return {
    grant: () => grant,
    /** The sealed credential now stored, when a renewal (here or elsewhere) replaced the one read. */
    replaced: () => replaced,
    elapsed,
    /** null when the grant is fresh again; otherwise the failed check to report. */
    renew: (force: boolean) =>
      exclusive(account.id, async (): Promise<CheckRun | null> => {
        // Another check of this process may have renewed it while this one waited.
        if ((await reload()) && !needsRefresh(grant)) return null
        return renewNow(force)
      }),
  }
}

/**
 * Runs `check` with an OAuth grant's access token, renewed first when it is about to expire, and
 * renewed once more if the provider refuses it (consent revoked: the renewal then answers
 * `invalid_grant`, which the account records as `expired`). Any other credential goes straight to
 * `check`.
 */
export async function checkWithGrant(
  deps: GrantDeps,
  target: GrantTarget,
  check: (credentials: Record<string, string>) => Promise<CheckRun>,
): Promise<GrantCheckRun> {
  const oauth = target.module.oauth
  if (!oauth || !isGrant(target.credentials)) return check(target.credentials)
  const keeper = grantKeeper(deps, target, oauth)

  const withStored = (run: CheckRun): GrantCheckRun => {
    const replaced = keeper.replaced()
    return { ...run, latencyMs: keeper.elapsed(), ...(replaced ? { ciphertext: replaced } : {}) }
  }
  let renewed = false
  if (needsRefresh(keeper.grant())) {
    const failed = await keeper.renew(false)
    if (failed) return withStored(failed)
    renewed = true
  }
  let run = await check(keeper.grant())
  if (tokenRefused(run) && !renewed) {
    // The renewal's verdict replaces the refused token's: invalid_grant (expired), or unreachable
    // when it got no answer, which must not flip the account on a token we could not renew.
    const failed = await keeper.renew(true)
    if (failed) return withStored(failed)
    run = await check(keeper.grant())
  }
  return withStored(run)
}

/**
 * The credential to use right now: an OAuth grant renewed first when its access token is about to
 * expire (stored exactly as a check's renewal is), anything else as stored. The broker and the
 * session endpoint use it; a failed renewal is the provider's verdict or silence, never a token.
 */
export async function freshCredentials(
  deps: GrantDeps,
  target: GrantTarget,
): Promise<
  | { ok: true; credentials: Record<string, string>; grant: GrantCredentials | null }
  | { ok: false; result: Rejected | Unreachable }
> {
  const oauth = target.module.oauth
  if (!oauth || !isGrant(target.credentials))
    return { ok: true, credentials: target.credentials, grant: null }
  const keeper = grantKeeper(deps, target, oauth)
  if (needsRefresh(keeper.grant())) {
    const failed = await keeper.renew(false)
    if (failed && failed.result.outcome !== 'verified') return { ok: false, result: failed.result }
  }
  return { ok: true, credentials: keeper.grant(), grant: keeper.grant() }
}
