import { LockMode } from '@mikro-orm/core'
import type { CheckTrigger, ConnectBody, ReconnectBody, UpdateAccountBody } from '@cloudlink/shared'
import { CloudAccountEntity, type CloudAccount, type UserRef } from '../../db/entities/index.js'
import { notFound } from '../../errors.js'
import type { GrantCheckRun } from '../oauth/fresh-grant.js'
import { applyCheck, checkStored } from './checks.js'
import { connect, reconnect, type ConnectOptions, type StoreOptions } from './connect.js'
import type { AccountsDeps } from './deps.js'
import { findAccount, getAccount, listAccounts, listChecks, listServers } from './queries.js'

export type { AccountsDeps } from './deps.js'
export type { ConnectOptions } from './connect.js'

/**
 * Cloud accounts for the routes, the OAuth flow and the sweep, bound to one entity manager. The
 * work lives beside this file: connect.ts (a credential gets in: connect, reconnect), checks.ts
 * (checking a stored credential and recording the verdict), queries.ts (reads).
 */
export function createAccountsService(deps: AccountsDeps) {
  const { em } = deps

  return {
    list: (workspaceId: string) => listAccounts(deps, workspaceId),
    get: (workspaceId: string, accountId: string) => getAccount(deps, workspaceId, accountId),
    find: (workspaceId: string, accountId: string) => findAccount(deps, workspaceId, accountId),
    servers: (workspaceId: string, accountId: string) => listServers(deps, workspaceId, accountId),
    checks: (workspaceId: string, accountId: string) => listChecks(deps, workspaceId, accountId),

    connect: (
      workspaceId: string,
      actor: UserRef | null,
      body: ConnectBody,
      opts?: ConnectOptions,
    ) => connect(deps, workspaceId, actor, body, opts),
    reconnect: (workspaceId: string, accountId: string, body: ReconnectBody, opts?: StoreOptions) =>
      reconnect(deps, workspaceId, accountId, body, opts),

    checkStored: (account: CloudAccount) => checkStored(deps, account),
    applyCheck: (checked: CloudAccount, run: GrantCheckRun, trigger: CheckTrigger) =>
      applyCheck(deps, checked, run, trigger),

    /** A live check with the stored credential; the result is applied under a row lock. */
    async recheck(workspaceId: string, accountId: string, trigger: CheckTrigger = 'manual') {
      const snapshot = await findAccount(deps, workspaceId, accountId)
      const run = await checkStored(deps, snapshot)
      await applyCheck(deps, snapshot, run, trigger)
      em.clear()
      return { account: await getAccount(deps, workspaceId, accountId), result: run.result }
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
      return getAccount(deps, workspaceId, accountId)
    },

    /** The account and its sealed credential go; its servers stay, unlinked (FK on delete set null). */
    async remove(workspaceId: string, accountId: string) {
      const account = await findAccount(deps, workspaceId, accountId)
      await em.transactional(async (tx) => {
        // tx.execute: inside the transaction (getConnection().execute would wait for a second
        // connection, forever on embedded PGlite, and commit each statement on its own).
        await tx.execute(`update servers set account_id = null where account_id = ?`, [account.id])
        await tx.execute(`delete from cloud_accounts where id = ?`, [account.id])
      })
      em.clear()
      return account
    },
  }
}

export type AccountsService = ReturnType<typeof createAccountsService>
