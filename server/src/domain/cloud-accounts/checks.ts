import { randomUUID } from 'node:crypto'
import { LockMode } from '@mikro-orm/core'
import type { EntityManager } from '@mikro-orm/postgresql'
import type { CheckTrigger } from '@cloudlink/shared'
import { CheckEntity, CloudAccountEntity, type CloudAccount } from '../../db/entities/index.js'
import { checkWithGrant, type GrantCheckRun } from '../oauth/fresh-grant.js'
import { sealedOf } from '../vault/sealed-row.js'
import { checkMessage, runCheck, type CheckRun } from './run-check.js'
import type { AccountsDeps } from './deps.js'
import { InventoryWrites, storedServers, type StoredServer } from './inventory.js'
import { accountContext } from './account-context.js'
import { accessWarnings, mergeAccess } from '../../providers/core/probe.js'
import { accountEventOf, recordEvent } from '../notifications/events.js'
import { readAccounts } from './read-model.js'

/** Keeps the last 100 checks per account: enough history to see a pattern, bounded growth. */
export const CHECK_HISTORY = 100

/**
 * A live check with the stored credential: what a manual recheck and the sweep both run. The only
 * place a stored credential is decrypted, immediately before the provider call.
 */
export async function checkStored(
  { em, vault, providers }: AccountsDeps,
  account: CloudAccount,
): Promise<GrantCheckRun> {
  const module = providers.get(account.provider)
  const credentials = vault.open<Record<string, string>>(sealedOf(account), {
    workspaceId: account.workspaceId,
    accountId: account.id,
  })
  const ctx = accountContext({ em, providers }, account)
  // OAuth grants: the access token is renewed before use, and a renewed grant stored at once.
  return checkWithGrant({ em, vault }, { module, ctx, account, credentials }, (c) =>
    runCheck(module, ctx, c),
  )
}

/** Status discipline: only `rejected` flips; `unreachable` only updates lastCheck. */
function applyResult(account: CloudAccount, run: CheckRun, at: Date) {
  const { result } = run
  account.lastCheckedAt = at
  account.lastCheck = {
    outcome: result.outcome === 'verified' ? 'ok' : result.outcome,
    at: at.toISOString(),
    message: checkMessage(result),
    latencyMs: run.latencyMs,
  }
  if (result.outcome === 'verified') {
    account.status = 'connected'
    account.statusReason = null
    account.lastHealthyAt = at
    // A probe without an answer keeps the last known access (and its warning); access never
    // changes the status: a working credential that cannot create stays connected, warned.
    account.access = mergeAccess(account.access, run.access ?? {})
    account.warnings = [
      ...result.warnings,
      ...(run.consoleUrl ? accessWarnings(account.access, run.consoleUrl) : []),
    ]
    if (result.identity && Object.keys(result.identity).length > 0)
      account.identity = result.identity
  } else if (result.outcome === 'rejected') {
    // An OAuth refresh answered invalid_grant: consent revoked or expired, only a reconnect helps.
    account.status = result.providerCode === 'invalid_grant' ? 'expired' : 'needs_attention'
    account.statusReason = result.reason
  }
}

/**
 * Records a check inside the caller's transaction: the account's status and last check, a row in
 * its history, and the servers it listed. Connect, reconnect and every recheck end here.
 */
export async function recordRun(
  tx: EntityManager,
  account: CloudAccount,
  trigger: CheckTrigger,
  run: CheckRun,
  opts: {
    isNew?: boolean
    /** The account's stored servers, when the caller loaded them (for many accounts at once). */
    existing?: StoredServer[]
    /** Gathers a batch's inventory writes; without it they are written here and now. */
    inventory?: InventoryWrites
  } = {},
) {
  const at = new Date()
  const before = { status: account.status, staleNotified: account.staleNotifiedAt != null }
  applyResult(account, run, at)
  tx.create(CheckEntity, {
    id: randomUUID(),
    accountId: account.id,
    at,
    trigger,
    outcome: run.result.outcome === 'verified' ? 'ok' : run.result.outcome,
    message: checkMessage(run.result).slice(0, 2000),
    latencyMs: run.latencyMs,
  })
  const inventory = opts.inventory ?? new InventoryWrites()
  if (run.servers) {
    // A newly connected account has no servers yet: no need to ask.
    const existing =
      opts.existing ??
      (opts.isNew ? [] : ((await storedServers(tx, [account.id])).get(account.id) ?? []))
    inventory.refresh(account, run.servers, at, existing)
  }
  if (run.result.outcome === 'verified') account.staleNotifiedAt = null
  // A new account is news to nobody: whoever connected it is looking at it.
  const event = opts.isNew ? null : accountEventOf(before, account.status, run.result.outcome)
  // The event carries the account's server count: its inventory is written before it is read.
  if (!opts.inventory || event) await inventory.write(tx)
  if (event) await recordAccountEvent(tx, account, event, at)
}

/**
 * The event goes into the outbox in the check's transaction, carrying the account as the API
 * shows it after the check (flushed first, so the read model sees this transaction's writes).
 */
async function recordAccountEvent(
  tx: EntityManager,
  account: CloudAccount,
  type: Parameters<typeof recordEvent>[1]['type'],
  at: Date,
) {
  await tx.flush()
  const [dto] = await readAccounts(tx, account.workspaceId, { id: account.id })
  await recordEvent(tx, {
    workspaceId: account.workspaceId,
    type,
    accountId: account.id,
    data: dto ? { account: dto } : {},
    at,
  })
}

/** Keeps the newest CHECK_HISTORY checks of each of these accounts: one statement for a batch. */
async function pruneChecks(tx: EntityManager, accountIds: string[]) {
  // tx.execute joins the transaction; getConnection().execute would take a second pool
  // connection while this one is held, which deadlocks once the pool is busy (sweeps, PGlite).
  await tx.execute(
    `delete from checks where id in (
       select id from (
         select id, row_number() over (partition by account_id order by at desc, id desc) as n
           from checks where account_id = any(string_to_array(?, ',')::uuid[])) ranked
        where n > ${CHECK_HISTORY})`,
    [accountIds.join(',')],
  )
}

/** A check to apply: the account as it was when checked, and what the check found. */
export interface CheckToApply {
  checked: CloudAccount
  run: GrantCheckRun
  /** The sweep's claim on the account: given back with the verdict, in the same update, while it
   * is still this claim (an expired one another instance took over is left alone). */
  lease?: Date
}

/**
 * Applies a check made with `checked`'s credential, under a row lock. If a reconnect replaced the
 * credential in the meantime, the verdict is about a credential no longer in use and is dropped
 * (false).
 */
export async function applyCheck(
  deps: Pick<AccountsDeps, 'em'>,
  checked: CloudAccount,
  run: GrantCheckRun,
  trigger: CheckTrigger,
): Promise<boolean> {
  const [applied] = await applyChecks(deps, [{ checked, run }], trigger)
  return applied === true
}

/**
 * Applies several checks in one transaction, each as applyCheck would (true: applied, false:
 * dropped for a replaced credential). The sweep gathers the checks that finish while a transaction
 * runs into the next one: a handful of statements per batch instead of eight per account.
 */
export async function applyChecks(
  { em }: Pick<AccountsDeps, 'em'>,
  items: CheckToApply[],
  trigger: CheckTrigger,
): Promise<boolean[]> {
  return em.transactional(async (tx) => {
    // Locked in id order, so two transactions that share accounts never wait on each other in turn.
    const locked = await tx.find(
      CloudAccountEntity,
      { id: { $in: [...new Set(items.map((i) => i.checked.id))] } },
      { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true, orderBy: { id: 'asc' } },
    )
    const byId = new Map(locked.map((a) => [a.id, a]))
    // A check that renewed an OAuth grant stored it already: compare with what it stored.
    const current = items.map(({ checked, run }) => {
      const account = byId.get(checked.id)
      const used = Buffer.from(run.ciphertext ?? checked.ciphertext)
      return account && Buffer.from(account.ciphertext).equals(used) ? account : null
    })
    const listed = current.filter((a, i) => a && items[i]?.run.servers).map((a) => a!.id)
    const servers = await storedServers(tx, listed)
    const inventory = new InventoryWrites()
    for (const [i, account] of current.entries()) {
      if (!account) continue
      const { run, lease } = items[i] as CheckToApply
      await recordRun(tx, account, trigger, run, {
        existing: servers.get(account.id) ?? [],
        inventory,
      })
      if (lease && account.claimedUntil?.getTime() === lease.getTime()) account.claimedUntil = null
    }
    await inventory.write(tx)
    await tx.flush()
    const applied = current.flatMap((a) => (a ? [a.id] : []))
    if (applied.length > 0) await pruneChecks(tx, applied)
    return current.map((a) => a !== null)
  })
}
