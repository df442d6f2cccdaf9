import { randomUUID } from 'node:crypto'
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core'
import type { EntityManager } from '@mikro-orm/postgresql'
import type {
  Credentials,
  ConnectBody,
  ProviderId,
  ReconnectBody,
  VerifyResult,
} from '@cloudlink/shared'
import { CloudAccountEntity, type CloudAccount, type UserRef } from '../../db/entities/index.js'
import {
  accountMismatch,
  conflict,
  notFound,
  providerRejected,
  providerUnreachable,
  validationFailed,
} from '../../errors.js'
import type { ProviderModule } from '../../providers/core/types.js'
import type { Sealed } from '../vault/vault.js'
import { runCheck, type CheckRun } from './run-check.js'
import { accountContext } from './account-context.js'
import { recordRun } from './checks.js'
import type { AccountsDeps } from './deps.js'
import { findAccount, getAccount } from './queries.js'

/** The module for a new credential; an unavailable provider (no OAuth app) takes none. */
function availableModule({ providers }: AccountsDeps, provider: ProviderId): ProviderModule {
  const module = providers.get(provider)
  if (!providers.describe(provider).available)
    throw validationFailed(
      'provider',
      `${module.descriptor.name} is not available in this installation`,
    )
  return module
}

const failure = (result: Exclude<VerifyResult, { outcome: 'verified' }>) =>
  result.outcome === 'rejected' ? providerRejected(result) : providerUnreachable(result)

interface VerifiedCredential {
  module: ProviderModule
  /** The fingerprint under the active vault key: what the row stores. */
  fingerprint: string
  hint: string
  run: CheckRun & { result: Extract<VerifyResult, { outcome: 'verified' }> }
  sealed: Sealed
}

/**
 * The one way a credential gets in, for connect and reconnect alike: format check → fingerprint →
 * duplicate check (any other account of the workspace, under any vault key) → verified by the
 * provider → sealed for `accountId`. Only a provider's yes gets this far; nothing is stored here.
 */
async function verifyNew(
  deps: AccountsDeps,
  target: { workspaceId: string; accountId: string; provider: ProviderId },
  raw: Credentials,
): Promise<VerifiedCredential> {
  const { workspaceId, accountId, provider } = target
  const module = availableModule(deps, provider)
  const credentials = module.validate(raw)
  const candidates = deps.vault.fingerprintCandidates(workspaceId, module.canonical(credentials))
  const [duplicate] = await deps.em.execute<{ id: string; label: string }[]>(
    `select id, label from cloud_accounts
      where workspace_id = ? and id <> ? and fingerprint in (${candidates.map(() => '?').join(', ')})
      limit 1`,
    [workspaceId, accountId, ...candidates],
  )
  if (duplicate)
    throw conflict(`This credential is already connected as "${duplicate.label}"`, {
      reason: 'duplicate_credential',
      existingAccountId: duplicate.id,
      label: duplicate.label,
    })
  // The credential's request budget applies from its first request (fingerprint: its ledger key).
  const ctx = accountContext(deps, { provider, fingerprint: candidates[0] as string })
  const run = await runCheck(module, ctx, credentials)
  if (run.result.outcome !== 'verified') throw failure(run.result)
  return {
    module,
    fingerprint: candidates[0] as string,
    hint: module.hint(credentials),
    run: { ...run, result: run.result },
    sealed: deps.vault.seal(credentials, { workspaceId, accountId }),
  }
}

export interface StoreOptions {
  /**
   * Asked inside the transaction, just before anything is written: false when the caller stopped
   * waiting (the UI's Cancel during a slow check), and then nothing is stored.
   */
  stillWanted?: () => boolean
}

export interface ConnectOptions extends StoreOptions {
  /**
   * Runs inside the transaction that creates the account, after it is written: whatever it writes
   * commits (or rolls back) together with the account. The audit's success entry uses it.
   */
  inTransaction?: (tx: EntityManager, account: CloudAccount) => Promise<void>
}

/** The caller went away while the provider was checking: a verdict nobody waits for stores nothing. */
function ensureWanted(opts: StoreOptions) {
  if (opts.stillWanted && !opts.stillWanted())
    throw conflict('The request was cancelled before anything was stored')
}

/** A new account, stored only after the provider accepted its credential. */
export async function connect(
  deps: AccountsDeps,
  workspaceId: string,
  /** The person connecting; null for an API token (the audit trail names it instead). */
  actor: UserRef | null,
  body: ConnectBody,
  opts: ConnectOptions = {},
) {
  const id = randomUUID()
  const { module, fingerprint, hint, run, sealed } = await verifyNew(
    deps,
    { workspaceId, accountId: id, provider: body.provider },
    body.credentials,
  )
  try {
    await deps.em.transactional(async (tx) => {
      // Connects to one provider in one workspace take turns here, so exactly one of two
      // simultaneous first connects becomes the default (the index would refuse the other).
      await tx.execute(`select pg_advisory_xact_lock(hashtext(?))`, [
        `connect:${workspaceId}:${body.provider}`,
      ])
      ensureWanted(opts)
      const [{ taken } = { taken: false }] = await tx.execute<{ taken: boolean }[]>(
        `select exists (select 1 from cloud_accounts
                        where workspace_id = ? and provider = ? and is_default) as taken`,
        [workspaceId, body.provider],
      )
      const account = tx.create(CloudAccountEntity, {
        id,
        workspaceId,
        provider: body.provider,
        label: body.label.trim(),
        description: body.description?.trim() ?? '',
        hint,
        status: 'connected',
        statusReason: null,
        identity: null,
        capabilities: module.descriptor.capabilities,
        warnings: [],
        access: {},
        isDefault: !taken,
        fingerprint,
        ...sealed,
        lastCheckedAt: null,
        lastHealthyAt: null,
        lastCheck: null,
        claimedUntil: null,
        createdBy: actor?.id ?? null,
      })
      await recordRun(tx, account, 'connect', run, { isNew: true })
      await opts.inTransaction?.(tx, account)
    })
  } catch (err: unknown) {
    if (err instanceof UniqueConstraintViolationException)
      throw conflict('This credential was connected at the same moment by another request')
    throw err
  }
  return getAccount(deps, workspaceId, id)
}

/**
 * Replaces the credential only after the provider accepted the new one; every failure leaves the
 * old credential stored and in use.
 */
export async function reconnect(
  deps: AccountsDeps,
  workspaceId: string,
  accountId: string,
  body: ReconnectBody,
  opts: StoreOptions = {},
) {
  const current = await findAccount(deps, workspaceId, accountId)
  const { module, fingerprint, hint, run, sealed } = await verifyNew(
    deps,
    { workspaceId, accountId, provider: current.provider },
    body.credentials,
  )
  const identity = run.result.identity
  const connected = current.identity
  if (!body.allowAccountChange && connected?.id && identity?.id && connected.id !== identity.id)
    throw accountMismatch(
      `This credential belongs to a different ${module.descriptor.name} account (${identity.name ?? identity.email ?? identity.id}) than the one connected (${connected.name ?? connected.email ?? connected.id}); send allowAccountChange: true to switch`,
      { connected, presented: identity },
    )

  await deps.em.transactional(async (tx) => {
    const account = await tx.findOne(
      CloudAccountEntity,
      { id: accountId, workspaceId },
      { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
    )
    if (!account) throw notFound('Cloud account')
    ensureWanted(opts)
    // What the old credential could do says nothing about the new one.
    Object.assign(account, sealed, { fingerprint, hint, access: {} })
    if (body.allowAccountChange) account.identity = identity
    await recordRun(tx, account, 'reconnect', run)
  })
  deps.em.clear()
  return getAccount(deps, workspaceId, accountId)
}
