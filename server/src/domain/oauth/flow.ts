import type { EntityManager } from '@mikro-orm/postgresql'
import {
  ErrorCode,
  isOAuthProviderErrorCode,
  type AuditOutcome,
  type OAuthErrorCode,
  type ProviderId,
} from '@cloudlink/shared'
import { MembershipEntity, UserEntity, type User } from '../../db/entities/index.js'
import { ApiError } from '../../errors.js'
import { UnreachableError } from '../../providers/core/http.js'
import { RejectedError } from '../../providers/core/outcome.js'
import { cleanDescription, toGrant } from '../../providers/core/oauth/grant.js'
import { exchangeCode } from '../../providers/core/oauth/token.js'
import type { ProviderRegistry } from '../../providers/registry.js'
import type { AuditTarget } from '../audit/audit-service.js'
import { userActor } from '../api-tokens/caller.js'
import { connect, reconnect } from '../cloud-accounts/connect.js'
import { findAccount } from '../cloud-accounts/queries.js'
import type { Vault } from '../vault/vault.js'
import type { PendingAuthorization } from './states.js'

export class OAuthFailure extends Error {
  constructor(
    readonly code: OAuthErrorCode,
    message: string,
    readonly outcome: AuditOutcome = 'failed',
  ) {
    super(message)
    this.name = 'OAuthFailure'
  }
}

export interface CallbackInput {
  provider: ProviderId
  pending: PendingAuthorization
  /** The callback's query: a code, or the provider's error. */
  code?: string
  error?: string
  errorDescription?: string
}

/**
 * How the callback ended, and what its audit entry says (the route hands it to the audit plugin:
 * the callback answers with a redirect either way, so the outcome cannot come from its status).
 */
export type CallbackResult = { audit: AuditTarget } & (
  | { accountId: string }
  /** `error`: an unexpected exception, for the route to log. */
  | { failure: OAuthFailure; error?: unknown }
)

export interface CallbackDeps {
  em: EntityManager
  vault: Vault
  providers: ProviderRegistry
}

function fromApiError(err: ApiError, name: string): OAuthFailure {
  switch (err.code) {
    case ErrorCode.Conflict:
      return new OAuthFailure('already_connected', err.message)
    case ErrorCode.AccountMismatch:
      return new OAuthFailure('account_mismatch', err.message, 'rejected')
    case ErrorCode.ProviderRejected:
      return new OAuthFailure(
        'rejected',
        `${name} refused the connection: ${err.message}`,
        'rejected',
      )
    case ErrorCode.ProviderUnreachable:
      return new OAuthFailure('unreachable', err.message, 'unreachable')
    case ErrorCode.NotFound:
      return new OAuthFailure('not_found', 'The cloud account to reconnect no longer exists')
    case ErrorCode.ValidationFailed:
      return new OAuthFailure('not_available', err.message)
    default:
      return new OAuthFailure('provider_error', 'The connection could not be completed')
  }
}

/**
 * Finishes an authorization whose state checked out: the provider's answer is turned into tokens,
 * the tokens into a verified identity, and the grant is stored through the same connect path as a
 * typed-in credential (verify, fingerprint, seal). Every failure stores nothing (a failed reconnect
 * keeps the old grant) and is audited like any connect attempt.
 */
export async function completeAuthorization(
  deps: CallbackDeps,
  input: CallbackInput,
): Promise<CallbackResult> {
  const { pending, provider } = input
  const module = deps.providers.get(provider)
  const name = module.descriptor.name
  const reconnecting = pending.accountId !== null
  const actor = await deps.em.findOne(UserEntity, { id: pending.userId })
  const audit = (outcome: AuditOutcome, message: string, accountId?: string | null) => ({
    workspaceId: pending.workspaceId,
    actor: actor ? userActor(actor) : null,
    action: reconnecting ? ('account.reconnect' as const) : ('account.connect' as const),
    outcome,
    provider,
    ...(accountId ? { accountId } : {}),
    message,
  })

  try {
    const accountId = await complete(actor)
    const message = reconnecting
      ? 'Authorization replaced through OAuth'
      : 'Connected through OAuth'
    return { accountId, audit: audit('success', message, accountId) }
  } catch (err: unknown) {
    const known =
      err instanceof OAuthFailure ? err : err instanceof ApiError ? fromApiError(err, name) : null
    if (known)
      return { failure: known, audit: audit(known.outcome, known.message, pending.accountId) }
    return {
      failure: new OAuthFailure('provider_error', 'The connection could not be completed'),
      error: err,
      audit: audit('failed', 'Unexpected error', pending.accountId),
    }
  }

  async function complete(actor: User | null): Promise<string> {
    if (input.error !== undefined || !input.code) {
      const error = input.error ?? ''
      // The provider's own code when it is a standard one (RFC 6749, OpenID Connect).
      const code: OAuthErrorCode = isOAuthProviderErrorCode(error) ? error : 'provider_error'
      const said = cleanDescription(input.errorDescription)
      throw new OAuthFailure(
        code,
        error === 'access_denied'
          ? `Consent was denied at ${name}; nothing was connected`
          : `${name} did not authorize Cloudlink (${error || 'no code'}${said ? `: ${said}` : ''})`,
      )
    }
    // The user may have lost the owner role in the minutes spent at the provider.
    const membership = await deps.em.findOne(MembershipEntity, {
      workspaceId: pending.workspaceId,
      userId: pending.userId,
    })
    if (!actor || membership?.role !== 'owner')
      throw new OAuthFailure('forbidden', 'Only workspace owners can connect cloud accounts')

    const spec = module.oauth
    if (!spec) throw new OAuthFailure('not_available', `${name} has no one-click connect`)
    const ctx = deps.providers.context(provider)
    const exchanged = await exchangeCode(ctx, name, spec, {
      code: input.code,
      verifier: pending.verifier,
    })
    if (exchanged.kind === 'unreachable')
      throw new OAuthFailure('unreachable', exchanged.message, 'unreachable')
    if (exchanged.kind === 'refused') {
      const client =
        exchanged.error === 'invalid_client' || exchanged.error === 'unauthorized_client'
      throw new OAuthFailure(
        client ? 'client_rejected' : 'exchange_failed',
        exchanged.message,
        'rejected',
      )
    }
    const { tokens } = exchanged
    if (!tokens.refreshToken)
      throw new OAuthFailure(
        'no_refresh_token',
        `${name} granted no offline access (no refresh token), so the connection could not last; start again and allow Cloudlink to stay connected`,
        'rejected',
      )

    let subject: string
    try {
      subject = (await spec.identify(ctx, tokens)).subject
    } catch (err: unknown) {
      if (err instanceof RejectedError)
        throw new OAuthFailure(
          err.result.providerCode === 'insufficient_scope' ? 'insufficient_scope' : 'rejected',
          err.result.reason,
          'rejected',
        )
      if (err instanceof UnreachableError)
        throw new OAuthFailure('unreachable', err.result.message, 'unreachable')
      throw err
    }

    const credentials = toGrant(tokens, subject)
    if (pending.accountId) {
      const account = await findAccount(deps, pending.workspaceId, pending.accountId)
      if (account.provider !== provider)
        throw new OAuthFailure(
          'not_found',
          'The cloud account to reconnect belongs to another provider',
        )
      return (await reconnect(deps, pending.workspaceId, pending.accountId, { credentials })).id
    }
    const label = pending.label ?? name
    return (await connect(deps, pending.workspaceId, actor, { provider, label, credentials })).id
  }
}
