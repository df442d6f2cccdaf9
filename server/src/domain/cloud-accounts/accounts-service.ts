import { randomUUID } from 'node:crypto'
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core'
import type { EntityManager } from '@mikro-orm/postgresql'
import {
  ErrorCode,
  type CheckTrigger,
  type ConnectBody,
  type ProviderId,
  type ReconnectBody,
  type UpdateAccountBody,
  type VerifyResult,
} from '@cloudlink/shared'
import {
  CheckEntity,
  CloudAccountEntity,
  ServerEntity,
  type CloudAccount,
  type UserRef,
} from '../../db/entities/index.js'
import { ApiError, conflict, notFound, validationFailed } from '../../errors.js'
import type { ProviderRegistry } from '../../providers/registry.js'
import type { Vault } from '../vault/vault.js'
import { checkWithGrant, type GrantCheckRun } from '../oauth/fresh-grant.js'
import { checkMessage, runCheck, type CheckRun } from './check.js'
import { readAccounts } from './read-model.js'
import { refreshInventory } from './inventory.js'
import { recordAudit, type AuditRecord } from '../audit/audit-service.js'

export interface AccountsDeps {
  em: EntityManager
  vault: Vault
  providers: ProviderRegistry
}

/** Keeps the last 100 checks per account: enough history to see a pattern, bounded growth. */
const CHECK_HISTORY = 100

function failure(result: Exclude<VerifyResult, { outcome: 'verified' }>): ApiError {
  if (result.outcome === 'rejected')
    return new ApiError(422, ErrorCode.ProviderRejected, result.reason, {
      reason: result.reason,
      providerStatus: result.providerStatus,
      ...(result.providerCode ? { providerCode: result.providerCode } : {}),
    })
  return new ApiError(502, ErrorCode.ProviderUnreachable, result.message, {
    reason: result.reason,
    ...(result.retryAfter === undefined ? {} : { retryAfter: result.retryAfter }),
  })
}

export function createAccountsService({ em, vault, providers }: AccountsDeps) {
  const moduleFor = (provider: ProviderId) => {
    const module = providers.get(provider)
    if (!providers.describe(provider).available)
      throw validationFailed(
        'provider',
        `${module.descriptor.name} is not available in this installation`,
      )
    return module
  }

  /** The only place a stored credential is decrypted: immediately before the provider call. */
  async function checkStored(account: CloudAccount): Promise<GrantCheckRun> {
    const provider = account.provider as ProviderId
    const module = providers.get(provider)
    const sealed = {
      keyId: account.keyId,
      wrappedKey: Buffer.from(account.wrappedKey),
      ciphertext: Buffer.from(account.ciphertext),
    }
    const credentials = vault.open<Record<string, string>>(sealed, {
      workspaceId: account.workspaceId,
      accountId: account.id,
    })
    const ctx = providers.context(provider)
    // OAuth grants: the access token is renewed before use, and a renewed grant stored at once.
    return checkWithGrant({ em, vault }, { module, ctx, account, credentials }, (c) =>
      runCheck(module, ctx, c),
    )
  }

  async function find(workspaceId: string, accountId: string): Promise<CloudAccount> {
    const account = await em.findOne(CloudAccountEntity, { id: accountId, workspaceId })
    if (!account) throw notFound('Cloud account')
    return account
  }

  async function recordCheck(
    tx: EntityManager,
    accountId: string,
    trigger: CheckTrigger,
    run: CheckRun,
    at: Date,
  ) {
    tx.create(CheckEntity, {
      id: randomUUID(),
      accountId,
      at,
      trigger,
      outcome: run.result.outcome === 'verified' ? 'ok' : run.result.outcome,
      message: checkMessage(run.result).slice(0, 2000),
      latencyMs: run.latencyMs,
    })
  }

  /** Status discipline: only `rejected` flips; `unreachable` only updates lastCheck. */
  function applyResult(account: CloudAccount, run: CheckRun, at: Date) {
    const { result } = run
    const outcome = result.outcome === 'verified' ? 'ok' : result.outcome
    account.lastCheckedAt = at
    account.lastCheck = {
      outcome,
      at: at.toISOString(),
      message: checkMessage(result),
      latencyMs: run.latencyMs,
    }
    if (result.outcome === 'verified') {
      account.status = 'connected'
      account.statusReason = null
      account.lastHealthyAt = at
      account.warnings = result.warnings
      if (result.identity && Object.keys(result.identity).length > 0)
        account.identity = result.identity
    } else if (result.outcome === 'rejected') {
      // An OAuth refresh answered invalid_grant: consent revoked or expired, only a reconnect helps.
      account.status = result.providerCode === 'invalid_grant' ? 'expired' : 'needs_attention'
      account.statusReason = result.reason
    }
  }

  async function pruneChecks(tx: EntityManager, accountId: string) {
    // tx.execute joins the transaction; getConnection().execute would take a second pool
    // connection while this one is held, which deadlocks once the pool is busy (sweeps, PGlite).
    await tx.execute(
      `delete from checks where account_id = ? and id not in (
         select id from checks where account_id = ? order by at desc limit ${CHECK_HISTORY})`,
      [accountId, accountId],
    )
  }

  return {
    async list(workspaceId: string) {
      return readAccounts(em, workspaceId)
    },

    async get(workspaceId: string, accountId: string) {
      const [dto] = await readAccounts(em, workspaceId, { id: accountId })
      if (!dto) throw notFound('Cloud account')
      return dto
    },

    /**
     * Verify first; only a provider's yes stores anything. With `audit`, the success entry is
     * written in the same transaction as the account.
     */
    async connect(
      workspaceId: string,
      actor: UserRef,
      body: ConnectBody,
      opts: { audit?: Omit<AuditRecord, 'outcome'> } = {},
    ) {
      const module = moduleFor(body.provider)
      const credentials = module.validate(body.credentials)
      const canonical = module.canonical(credentials)
      const candidates = vault.fingerprintCandidates(workspaceId, canonical)
      const [duplicate] = await em.execute<{ id: string; label: string }[]>(
        `select id, label from cloud_accounts where workspace_id = ? and fingerprint in (${candidates.map(() => '?').join(', ')}) limit 1`,
        [workspaceId, ...candidates],
      )
      if (duplicate)
        throw conflict(`This credential is already connected as "${duplicate.label}"`, {
          existingAccountId: duplicate.id,
          label: duplicate.label,
        })

      const run = await runCheck(module, providers.context(body.provider), credentials)
      if (run.result.outcome !== 'verified') throw failure(run.result)

      const id = randomUUID()
      const at = new Date()
      const sealed = vault.seal(credentials, { workspaceId, accountId: id })
      try {
        await em.transactional(async (tx) => {
          // Connects to one provider in one workspace take turns here, so exactly one of two
          // simultaneous first connects becomes the default (the index would refuse the other).
          await tx.execute(`select pg_advisory_xact_lock(hashtext(?))`, [
            `connect:${workspaceId}:${body.provider}`,
          ])
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
            hint: module.hint(credentials),
            status: 'connected',
            statusReason: null,
            identity: null,
            capabilities: module.descriptor.capabilities,
            warnings: [],
            isDefault: !taken,
            fingerprint: candidates[0] as string,
            keyId: sealed.keyId,
            wrappedKey: sealed.wrappedKey,
            ciphertext: sealed.ciphertext,
            lastCheckedAt: null,
            lastHealthyAt: null,
            lastCheck: null,
            claimedUntil: null,
            createdBy: actor.id,
          })
          applyResult(account, run, at)
          await recordCheck(tx, id, 'connect', run, at)
          if (run.servers) await refreshInventory(tx, account, run.servers, at, { isNew: true })
          if (opts.audit)
            await recordAudit(
              tx,
              {
                ...opts.audit,
                outcome: 'success',
                provider: body.provider,
                accountId: id,
                message: `Connected "${account.label}"`,
              },
              { inTransaction: true },
            )
        })
      } catch (err: unknown) {
        if (err instanceof UniqueConstraintViolationException)
          throw conflict('This credential was connected at the same moment by another request')
        throw err
      }
      return this.get(workspaceId, id)
    },

    async update(workspaceId: string, accountId: string, body: UpdateAccountBody) {
      await em.transactional(async (tx) => {
        const account = await tx.findOne(
          CloudAccountEntity,
          { id: accountId, workspaceId },
          { lockMode: LockMode.PESSIMISTIC_WRITE },
        )
        if (!account) throw notFound('Cloud account')
        if (body.label !== undefined) account.label = body.label.trim()
        if (body.description !== undefined) account.description = body.description.trim()
        if (body.isDefault === true && !account.isDefault) {
          // Clear the old default first: the partial unique index allows one default per provider.
          await tx.execute(
            `update cloud_accounts set is_default = false where workspace_id = ? and provider = ? and is_default`,
            [workspaceId, account.provider],
          )
          account.isDefault = true
        } else if (body.isDefault === false) account.isDefault = false
      })
      em.clear()
      return this.get(workspaceId, accountId)
    },

    /** A live check with the stored credential; the result is applied under a row lock. */
    async recheck(workspaceId: string, accountId: string, trigger: CheckTrigger = 'manual') {
      const snapshot = await find(workspaceId, accountId)
      const run = await checkStored(snapshot)
      await this.applyCheck(snapshot, run, trigger)
      em.clear()
      return { account: await this.get(workspaceId, accountId), result: run.result }
    },

    /**
     * Applies a check made with `checked`'s credential. If a reconnect replaced the credential in
     * the meantime, the verdict is about a credential no longer in use and is dropped.
     */
    async applyCheck(
      checked: CloudAccount,
      run: GrantCheckRun,
      trigger: CheckTrigger,
    ): Promise<boolean> {
      // A check that renewed an OAuth grant stored it already: compare with what it stored.
      const used = Buffer.from(run.ciphertext ?? checked.ciphertext)
      return em.transactional(async (tx) => {
        const account = await tx.findOne(
          CloudAccountEntity,
          { id: checked.id },
          { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
        )
        if (!account || !Buffer.from(account.ciphertext).equals(used)) return false
        const at = new Date()
        applyResult(account, run, at)
        await recordCheck(tx, account.id, trigger, run, at)
        if (run.servers) await refreshInventory(tx, account, run.servers, at)
        await tx.flush()
        await pruneChecks(tx, account.id)
        return true
      })
    },

    checkStored,

    /**
     * Replaces the credential only after the provider accepted the new one; every failure leaves
     * the old credential stored and in use.
     */
    async reconnect(workspaceId: string, accountId: string, body: ReconnectBody) {
      const current = await find(workspaceId, accountId)
      const provider = current.provider as ProviderId
      const module = moduleFor(provider)
      const credentials = module.validate(body.credentials)
      const candidates = vault.fingerprintCandidates(workspaceId, module.canonical(credentials))
      const duplicate = await em.findOne(CloudAccountEntity, {
        workspaceId,
        fingerprint: { $in: candidates },
        id: { $ne: accountId },
      })
      if (duplicate)
        throw conflict(`This credential is already connected as "${duplicate.label}"`, {
          existingAccountId: duplicate.id,
          label: duplicate.label,
        })

      const run = await runCheck(module, providers.context(provider), credentials)
      if (run.result.outcome !== 'verified') throw failure(run.result)
      const identity = run.result.identity
      if (
        !body.allowAccountChange &&
        current.identity?.id &&
        identity?.id &&
        current.identity.id !== identity.id
      )
        throw new ApiError(
          409,
          ErrorCode.AccountMismatch,
          `This credential belongs to a different ${module.descriptor.name} account (${identity.name ?? identity.email ?? identity.id}) than the one connected (${current.identity.name ?? current.identity.email ?? current.identity.id}); send allowAccountChange: true to switch`,
          {
            connected: current.identity,
            presented: identity,
          },
        )

      const sealed = vault.seal(credentials, { workspaceId, accountId })
      await em.transactional(async (tx) => {
        const account = await tx.findOne(
          CloudAccountEntity,
          { id: accountId, workspaceId },
          { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
        )
        if (!account) throw notFound('Cloud account')
        const at = new Date()
        account.keyId = sealed.keyId
        account.wrappedKey = sealed.wrappedKey
        account.ciphertext = sealed.ciphertext
        account.fingerprint = candidates[0] as string
        account.hint = module.hint(credentials)
        if (body.allowAccountChange) account.identity = identity
        applyResult(account, run, at)
        await recordCheck(tx, account.id, 'reconnect', run, at)
        if (run.servers) await refreshInventory(tx, account, run.servers, at)
      })
      em.clear()
      return this.get(workspaceId, accountId)
    },

    /** The account and its sealed credential go; its servers stay, unlinked (FK on delete set null). */
    async remove(workspaceId: string, accountId: string) {
      const account = await find(workspaceId, accountId)
      await em.transactional(async (tx) => {
        // tx.execute: inside the transaction (getConnection().execute would wait for a second
        // connection, forever on embedded PGlite, and commit each statement on its own).
        await tx.execute(`update servers set account_id = null where account_id = ?`, [account.id])
        await tx.execute(`delete from cloud_accounts where id = ?`, [account.id])
      })
      em.clear()
      return account
    },

    async servers(workspaceId: string, accountId: string) {
      await find(workspaceId, accountId)
      return em.find(ServerEntity, { accountId }, { orderBy: { name: 'asc', id: 'asc' } })
    },

    async checks(workspaceId: string, accountId: string) {
      await find(workspaceId, accountId)
      return em.find(
        CheckEntity,
        { accountId },
        { orderBy: { at: 'desc', id: 'desc' }, limit: CHECK_HISTORY },
      )
    },

    find,
  }
}

export type AccountsService = ReturnType<typeof createAccountsService>
