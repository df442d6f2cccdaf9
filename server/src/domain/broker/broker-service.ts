import type { IncomingHttpHeaders } from 'node:http'
import type { Readable } from 'node:stream'
import type { EntityManager } from '@mikro-orm/postgresql'
import { LRUCache } from 'lru-cache'
import { BROKER_ORIGIN_HEADER, ErrorCode } from '@cloudlink/shared'
import type { CloudAccount } from '../../db/entities/index.js'
import { ApiError, rateLimited } from '../../errors.js'
import type { ProviderModule } from '../../providers/core/types.js'
import type { ProviderRegistry } from '../../providers/registry.js'
import { accountContext } from '../cloud-accounts/account-context.js'
import { createAccountsService } from '../cloud-accounts/accounts-service.js'
import { findAccount } from '../cloud-accounts/queries.js'
import { budgetKey, spendBudget } from '../budget/ledger.js'
import type { Vault } from '../vault/vault.js'
import { declaredLength, limited, readWhole } from './body.js'
import { createBrokerCaches } from './cache.js'
import { createCallRecorder } from './calls.js'
import { openFresh, providerFailure } from './credential.js'
import { forward } from './forward.js'
import { flatHeaders, forwardedRequestHeaders, returnedHeaders } from './headers.js'
import { requestRecheck } from './recheck.js'
import { checkPath, checkQuery, chooseOrigin, targetUrl } from './target.js'

export interface BrokerDeps {
  /** The application's entity manager, forked for the broker's own writes. */
  em: EntityManager
  vault: Vault
  providers: ProviderRegistry
  /** BROKER_TIMEOUT_MS. */
  timeoutMs: number
  log: { warn(obj: object, msg: string): void }
}

/** One call as the route hands it over: the raw path after `/proxy` and the raw query. */
export interface BrokerInput {
  em: EntityManager
  workspaceId: string
  accountId: string
  token: { id: string; name: string } | null
  method: string
  path: string
  query: string
  headers: IncomingHttpHeaders
  /** The request stream, untouched by any parser; null for GET and HEAD. */
  body: Readable | null
  signal: AbortSignal
  /**
   * The workspace's data revision as the caller's token check read it (bumped by the database on
   * any change to an account's row that matters here: a reconnect, a renewed grant, a removal).
   * The account row is reused while it is unchanged; null reads it every time.
   */
  revision?: number | null
}

export interface BrokerAnswer {
  status: number
  headers: Record<string, string | string[]>
  body: Readable
}

const BODYLESS = new Set(['GET', 'HEAD'])

/**
 * The broker: a call with an account's stored credential, forwarded to one of the provider's known
 * origins and answered with the provider's own answer, streamed. Refusals before any provider call
 * are our errors (origin, path, body size, spent budget); the record of every call on a found
 * account is written beside the answer. A 401 from the provider asks for a check of the account.
 */
export function createBroker(deps: BrokerDeps) {
  const caches = createBrokerCaches()
  const recorder = createCallRecorder(deps.em, (err) =>
    deps.log.warn({ err }, 'broker: recording calls failed'),
  )
  /** Account rows (sealed credential included, never opened) by id, with the revision read. */
  const accounts = new LRUCache<string, { revision: number; account: CloudAccount }>({
    max: 5_000,
  })
  const pending = new Set<Promise<unknown>>()
  const track = (work: Promise<unknown>, what: string) => {
    const done = work
      .catch((err: unknown) => deps.log.warn({ err }, `broker: ${what} failed`))
      .finally(() => pending.delete(done))
    pending.add(done)
  }

  /** Due for a check; checked at once too unless the provider locks out failed logins. */
  function refused(account: CloudAccount, module: ProviderModule) {
    track(
      requestRecheck(deps.em, account.id).then(async (requested) => {
        if (!requested || module.limits?.lockout) return
        const { vault, providers } = deps
        const service = createAccountsService({ em: deps.em.fork(), vault, providers })
        await service.recheck(account.workspaceId, account.id, 'scheduled')
      }),
      'recheck after a refused call',
    )
  }

  async function body(input: BrokerInput, signsBody: boolean): Promise<Buffer | Readable | null> {
    if (BODYLESS.has(input.method) || !input.body) return null
    const length = declaredLength(input.headers['content-length'])
    if (length === undefined && input.headers['transfer-encoding'] === undefined) return null
    if (signsBody) return readWhole(input.body)
    return length === 0 ? null : limited(input.body)
  }

  async function call(input: BrokerInput, account: CloudAccount): Promise<BrokerAnswer> {
    const { em } = input
    const module = deps.providers.get(account.provider)
    const scheme = module.broker
    const name = module.descriptor.name
    const callerHeaders = flatHeaders(input.headers)
    // Recorded as asked until it is known to be one of the provider's.
    let origin = callerHeaders[BROKER_ORIGIN_HEADER] ?? scheme.defaultOrigin
    const record = (status: number, latencyMs: number) =>
      recorder.add({ ...input, provider: account.provider, origin, status, latencyMs })
    const started = performance.now()
    try {
      origin = chooseOrigin(scheme, callerHeaders, name)
      const ctx = accountContext({ em, providers: deps.providers }, account)
      const base = new URL(ctx.http.url(origin, '/'))
      const url = targetUrl(base.origin, checkPath(input.path), checkQuery(input.query))
      const headers = forwardedRequestHeaders(input.headers)
      const payload = await body(input, scheme.signsBody ?? false)
      if (Buffer.isBuffer(payload)) headers['content-length'] = String(payload.length)
      else if (payload && input.headers['content-length'] !== undefined)
        headers['content-length'] = String(input.headers['content-length'])

      const budget = module.limits?.budget
      if (budget) {
        const wait = await spendBudget(em, budgetKey(account), budget)
        if (wait !== null)
          throw rateLimited(
            `${name}'s request budget for this account is spent (checks and broker calls share it); try again in ${wait} s`,
            wait,
          )
      }
      const outgoing = {
        method: input.method,
        origin,
        url,
        headers,
        ...(Buffer.isBuffer(payload) ? { body: payload } : {}),
      }
      // The secret exists from here to the end of authorize, and only in this call.
      const opened = await openFresh({ em, vault: deps.vault }, { module, ctx, account })
      if (!opened.ok) {
        if (opened.result.outcome === 'rejected') refused(account, module)
        throw providerFailure(opened.result)
      }
      try {
        const brokerCtx = { ...ctx, cache: caches.forCredential(account) }
        await scheme.authorize(brokerCtx, opened.credentials, outgoing)
      } catch (err: unknown) {
        const failure = providerFailure(err)
        if (failure.code === ErrorCode.ProviderRejected) refused(account, module)
        throw failure
      }
      if (outgoing.url.origin !== base.origin) throw new Error('a broker scheme changed the origin')

      const res = await forward({
        method: input.method,
        url: outgoing.url,
        headers: outgoing.headers,
        body: payload,
        timeoutMs: deps.timeoutMs,
        signal: input.signal,
        providerName: name,
      })
      record(res.statusCode, performance.now() - started)
      if (res.statusCode === 401) refused(account, module)
      return { status: res.statusCode, headers: returnedHeaders(res.headers), body: res.body }
    } catch (err: unknown) {
      record(err instanceof ApiError ? err.statusCode : 500, performance.now() - started)
      throw err
    }
  }

  return {
    /** Forwards one call; throws ApiError for our own refusals (recorded like any call). */
    async forward(input: BrokerInput): Promise<BrokerAnswer> {
      const { revision, workspaceId, accountId } = input
      const cached = revision == null ? undefined : accounts.get(accountId)
      if (cached && cached.revision === revision && cached.account.workspaceId === workspaceId)
        return call(input, cached.account)
      const account = await findAccount({ em: input.em }, workspaceId, accountId)
      if (revision != null) accounts.set(accountId, { revision, account })
      return call(input, account)
    },
    /** Resolves when the records and recheck requests started so far are written. */
    settled: async () => void (await Promise.all([...pending, recorder.flush()])),
  }
}

export type Broker = ReturnType<typeof createBroker>
