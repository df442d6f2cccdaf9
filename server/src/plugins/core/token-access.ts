import type { FastifyRequest } from 'fastify'
import type { TokenScope } from '@cloudlink/shared'
import { notFound, tokenScope } from '../../errors.js'

/** What a route lets an API token do (from its config; see rbac.ts). */
export interface TokenPolicy {
  /** The scope the token needs, or false when no token may call the route. */
  scope: TokenScope | false
  /** The handler limits its answer to the token's accountIds itself. */
  filtersAccounts: boolean
  /** The route's path names one account (`:accountId`). */
  namesAccount: boolean
}

const READ_METHODS = new Set(['GET', 'HEAD'])

/**
 * An API token on a workspace route, checked before any work: its own workspace only (any other
 * gets the answer a non-member gets: 404, nothing about the workspace), then the route's scope,
 * then its accounts, then read-only. Roles play no part: a token is not a member.
 *
 * Scopes are independent: `accounts:manage` and `accounts:use` imply nothing else (a token that
 * lists accounts and changes them needs `accounts:read` too). A token limited to some accounts may
 * call a route without `:accountId` only if the route filters by them (the list): it cannot connect
 * a new account, which would lie outside its own limit.
 */
export async function checkToken(
  request: FastifyRequest,
  workspaceId: string,
  policy: TokenPolicy,
): Promise<void> {
  const caller = await request.server.authenticate(request, workspaceId)
  if (caller.type !== 'token') throw new Error('checkToken: the request presents no API token')
  const token = caller.token
  if (workspaceId !== token.workspaceId) throw notFound('Workspace')
  if (policy.scope === false)
    throw tokenScope('API tokens cannot call this route; sign in as a person')
  if (!token.scopes.includes(policy.scope))
    throw tokenScope(`This API token lacks the ${policy.scope} scope`)
  if (token.accountIds) {
    const accountId = (request.params as { accountId?: string }).accountId
    if (policy.namesAccount) {
      if (accountId === undefined || !token.accountIds.includes(accountId))
        throw tokenScope('This API token is limited to other cloud accounts')
    } else if (!policy.filtersAccounts)
      throw tokenScope('This API token is limited to some cloud accounts and cannot do this')
  }
  if (token.readOnly && !READ_METHODS.has(request.method))
    throw tokenScope('This API token is read-only')
}
