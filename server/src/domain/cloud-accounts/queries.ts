import {
  CheckEntity,
  CloudAccountEntity,
  ServerEntity,
  type CloudAccount,
} from '../../db/entities/index.js'
import { notFound } from '../../errors.js'
import { CHECK_HISTORY } from './checks.js'
import type { AccountsDeps } from './deps.js'
import { readAccounts } from './read-model.js'

type Em = Pick<AccountsDeps, 'em'>

/** The account row (with its sealed credential), or NOT_FOUND when it is not in this workspace. */
export async function findAccount(
  { em }: Em,
  workspaceId: string,
  accountId: string,
): Promise<CloudAccount> {
  const account = await em.findOne(CloudAccountEntity, { id: accountId, workspaceId })
  if (!account) throw notFound('Cloud account')
  return account
}

export const listAccounts = ({ em }: Em, workspaceId: string) => readAccounts(em, workspaceId)

/** One account in the API's shape (the list's read model, never the sealed columns). */
export async function getAccount({ em }: Em, workspaceId: string, accountId: string) {
  const [dto] = await readAccounts(em, workspaceId, { id: accountId })
  if (!dto) throw notFound('Cloud account')
  return dto
}

export async function listServers(deps: Em, workspaceId: string, accountId: string) {
  await findAccount(deps, workspaceId, accountId)
  return deps.em.find(ServerEntity, { accountId }, { orderBy: { name: 'asc', id: 'asc' } })
}

/** The kept check history, newest first. */
export async function listChecks(deps: Em, workspaceId: string, accountId: string) {
  await findAccount(deps, workspaceId, accountId)
  return deps.em.find(
    CheckEntity,
    { accountId },
    { orderBy: { at: 'desc', id: 'desc' }, limit: CHECK_HISTORY },
  )
}
