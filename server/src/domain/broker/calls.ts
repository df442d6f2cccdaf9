import { randomUUID } from 'node:crypto'
import type { EntityManager } from '@mikro-orm/postgresql'
import type { BrokerCall as BrokerCallDto, BrokerCallPage, ProviderId } from '@cloudlink/shared'
import { BrokerCallEntity, type BrokerCall } from '../../db/entities/index.js'
import { newestFirstPage } from '../audit/newest-first.js'

/** Broker calls are kept 30 days (pruned by the recheck sweep's finish). */
export const BROKER_CALLS_MS = 30 * 24 * 60 * 60 * 1000

const MAX_PATH = 2000

export interface BrokerCallRecord {
  workspaceId: string
  accountId: string
  provider: ProviderId
  token: { id: string; name: string } | null
  method: string
  origin: string
  /** The forwarded path and raw query; query values are dropped here. */
  path: string
  query: string
  status: number
  latencyMs: number
}

/**
 * `/v1/servers?name=…&page=…`: the names of the query's parameters stay (they say what was asked),
 * their values go (they may carry identifiers, or a secret a caller put in a URL by mistake).
 */
export function recordedPath(path: string, query: string): string {
  const names = query
    .split('&')
    .filter(Boolean)
    .map((pair) => pair.split('=')[0] ?? '')
    .map((name) => `${name}=…`)
  const full = names.length > 0 ? `${path}?${names.join('&')}` : path
  return full.length > MAX_PATH ? `${full.slice(0, MAX_PATH - 1)}…` : full
}

const rowOf = (call: BrokerCallRecord) => ({
  id: randomUUID(),
  workspaceId: call.workspaceId,
  accountId: call.accountId,
  tokenId: call.token?.id ?? null,
  tokenName: call.token?.name.slice(0, 100) ?? null,
  provider: call.provider,
  method: call.method.slice(0, 16),
  origin: call.origin.slice(0, 60),
  path: recordedPath(call.path, call.query),
  status: call.status,
  latencyMs: Math.max(0, Math.round(call.latencyMs)),
  at: new Date(),
})

/** Records written together at most this long after their call (and at once past BATCH). */
const FLUSH_MS = 50
const BATCH = 200

/**
 * The record of every call, written in batches: one insert (and one commit) for all the calls of
 * the last few milliseconds rather than one per call, which under load would cost more than the
 * call itself. A record is written whatever became of the call; `flush()` writes what is pending
 * (the owners' list and shutdown wait for it). A killed process loses at most FLUSH_MS of records.
 */
export function createCallRecorder(em: EntityManager, onError: (err: unknown) => void) {
  let pending: ReturnType<typeof rowOf>[] = []
  let timer: NodeJS.Timeout | undefined
  const writing = new Set<Promise<void>>()

  function flush(): Promise<void> {
    clearTimeout(timer)
    timer = undefined
    if (pending.length > 0) {
      const rows = pending
      pending = []
      const write: Promise<void> = em
        .fork()
        .insertMany(BrokerCallEntity, rows)
        .then(() => undefined, onError)
        .finally(() => writing.delete(write))
      writing.add(write)
    }
    return Promise.all([...writing]).then(() => undefined)
  }

  return {
    add(call: BrokerCallRecord) {
      pending.push(rowOf(call))
      if (pending.length >= BATCH) void flush()
      else timer ??= setTimeout(() => void flush(), FLUSH_MS).unref()
    },
    flush,
  }
}

const toDto = (c: BrokerCall): BrokerCallDto => ({
  id: c.id,
  at: c.at.toISOString(),
  token: c.tokenId ? { id: c.tokenId, name: c.tokenName ?? '' } : null,
  accountId: c.accountId,
  provider: c.provider,
  method: c.method,
  origin: c.origin,
  path: c.path,
  status: c.status,
  latencyMs: c.latencyMs,
})

/** Newest first, keyset pagination on (at, id) like the audit trail. */
export async function listBrokerCalls(
  em: EntityManager,
  workspaceId: string,
  opts: { limit: number; cursor?: string },
): Promise<BrokerCallPage> {
  return newestFirstPage(em, BrokerCallEntity, { workspaceId }, opts, toDto)
}
