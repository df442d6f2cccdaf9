import { setTimeout as sleep } from 'node:timers/promises'
import type { EntityManager } from '@mikro-orm/postgresql'
import { VaultError } from './errors.js'
import { sealedOfRow } from './sealed-row.js'
import type { Vault } from './vault.js'

export interface RotationOptions {
  /** A fork; each batch runs in its own transaction on it. */
  em: EntityManager
  vault: Vault
  /** Rows per transaction (default 100): short transactions keep the rotation online. */
  batchSize?: number
  /** Stop after this many batches; a later run resumes where this one stopped. */
  maxBatches?: number
  /** Stops between batches (e.g. on SIGINT); committed batches stay committed. */
  signal?: AbortSignal
  /** Exactly what the credentials service fingerprints (see providerCanonical). */
  canonical: (provider: string, credential: unknown) => string
  /** Rows locked by live requests are skipped, then retried this many times (default 20). */
  busyRetries?: number
  busyDelayMs?: number
  log?: (line: string) => void
}

export interface RotationFailure {
  accountId: string
  keyId: string
  reason: string
}

export interface RotationResult {
  activeKeyId: string
  rewrapped: number
  alreadyCurrent: number
  failed: number
  failures: RotationFailure[]
  /** Rows not on the active key after this run: failed, busy or not reached. */
  remaining: number
  /** Rows per key id after the run. A key with no rows may leave VAULT_KEYS. */
  keysInUse: Record<string, number>
}

/** Thrown by `canonical` to fail one row with this message; keep secrets out of it. */
export class RotationError extends Error {
  override name = 'RotationError'
}

interface Row {
  id: string
  workspace_id: string
  provider: string
  key_id: string
  wrapped_key: Buffer
  ciphertext: Buffer
  fingerprint: string
  version: number
}

const COLUMNS = 'id, workspace_id, provider, key_id, wrapped_key, ciphertext, fingerprint, version'
const COLLISION = 'its new fingerprint collides with another account in the workspace'

/**
 * Rewraps every cloud account's data key under the active vault key and re-keys its fingerprint,
 * batch by batch. `FOR UPDATE SKIP LOCKED` means requests never wait on the rotation nor it on them,
 * and the version bump makes a request holding a stale copy fail its optimistic lock instead of
 * writing the old envelope back. Progress is the rows' key_id itself, so a crashed or interrupted
 * run is resumed by running it again.
 */
export async function rotateKeys(opts: RotationOptions): Promise<RotationResult> {
  const { em, vault, signal } = opts
  const batchSize = opts.batchSize ?? 100
  const canonical = opts.canonical
  const log = opts.log ?? (() => undefined)
  const active = vault.activeKeyId
  const failures: RotationFailure[] = []
  const failedIds: string[] = []
  let rewrapped = 0

  const [current] = await em.execute<{ n: string }[]>(
    'select count(*) as n from cloud_accounts where key_id = ?',
    [active],
  )
  const alreadyCurrent = Number(current?.n ?? 0)

  const fail = (row: Pick<Row, 'id' | 'key_id'>, reason: string) => {
    failures.push({ accountId: row.id, keyId: row.key_id, reason })
    failedIds.push(row.id)
    log(`failed ${row.id} (key ${row.key_id}): ${reason}`)
  }

  /** One transaction. `ids` narrows it to given rows (the retry of a batch that failed as a whole). */
  const runBatch = async (ids?: string[]): Promise<Row[]> => {
    let rows: Row[] = []
    try {
      rewrapped += await em.transactional(async (tx) => {
        rows = ids
          ? await tx.execute<Row[]>(
              `select ${COLUMNS} from cloud_accounts where id = any(array[?]::uuid[]) and key_id <> ?
               for update skip locked`,
              [ids, active],
            )
          : await tx.execute<Row[]>(
              `select ${COLUMNS} from cloud_accounts
               where key_id <> ? and not (id = any(array[?]::uuid[]))
               order by id limit ? for update skip locked`,
              [active, failedIds, batchSize],
            )
        const updates: { row: Row; wrappedKey: Buffer; fingerprint: string }[] = []
        for (const row of rows) {
          const update = rekey(row)
          if (typeof update === 'string') fail(row, update)
          else updates.push({ row, ...update })
        }
        if (updates.length === 0) return 0
        const values = updates.map(() => '(?::uuid, ?::int, ?::bytea, ?)').join(', ')
        const done = await tx.execute<{ id: string }[]>(
          `update cloud_accounts as c
           set key_id = ?, wrapped_key = v.wrapped_key, fingerprint = v.fingerprint, version = c.version + 1
           from (values ${values}) as v(id, version, wrapped_key, fingerprint)
           where c.id = v.id and c.version = v.version and not exists (
             select 1 from cloud_accounts o
             where o.workspace_id = c.workspace_id and o.fingerprint = v.fingerprint and o.id <> c.id)
           returning c.id`,
          [
            active,
            ...updates.flatMap((u) => [u.row.id, u.row.version, u.wrappedKey, u.fingerprint]),
          ],
        )
        const updated = new Set(done.map((r) => r.id))
        for (const { row } of updates) if (!updated.has(row.id)) fail(row, COLLISION)
        return updated.size
      })
    } catch (err: unknown) {
      if (rows.length === 0) throw err
      // The batch rolled back as a whole (e.g. a concurrent insert took a fingerprint). Retry its rows
      // one by one so a single bad row does not hold back the ninety-nine good ones on every run.
      const pending = rows.filter((row) => !failedIds.includes(row.id))
      if (ids?.length === 1 || pending.length <= 1) {
        for (const row of pending) fail(row, databaseReason(err))
      } else {
        for (const row of pending) await runBatch([row.id])
      }
    }
    return rows
  }

  /** The new wrapped key and fingerprint, or why the row cannot be rotated. */
  const rekey = (row: Row): { wrappedKey: Buffer; fingerprint: string } | string => {
    const sealed = sealedOfRow(row)
    const aad = { workspaceId: row.workspace_id, accountId: row.id }
    try {
      const text = canonical(row.provider, vault.open(sealed, aad))
      // Proves we compute fingerprints the way the stored one was made; otherwise re-keying would
      // silently break duplicate detection for this row.
      if (vault.fingerprint(row.workspace_id, text, row.key_id) !== row.fingerprint)
        return 'stored fingerprint does not match the credential (canonical form differs)'
      return {
        wrappedKey: vault.rewrap(sealed, aad).wrappedKey,
        fingerprint: vault.fingerprint(row.workspace_id, text),
      }
    } catch (err: unknown) {
      // One unreadable row must not stop the rest; its reason is ours, never the plaintext.
      if (err instanceof VaultError || err instanceof RotationError) return err.message
      return `unexpected error (${err instanceof Error ? err.name : typeof err})`
    }
  }

  let batches = 0
  let busyRounds = 0
  while (!signal?.aborted && (opts.maxBatches === undefined || batches < opts.maxBatches)) {
    const rows = await runBatch()
    batches++
    if (rows.length > 0) {
      busyRounds = 0
      log(`batch ${batches}: ${rewrapped} rewrapped so far`)
      continue
    }
    const [left] = await em.execute<{ n: string }[]>(
      'select count(*) as n from cloud_accounts where key_id <> ? and not (id = any(array[?]::uuid[]))',
      [active, failedIds],
    )
    const busy = Number(left?.n ?? 0)
    if (busy === 0 || busyRounds >= (opts.busyRetries ?? 20)) break
    busyRounds++
    log(`${busy} accounts are locked by live requests; retrying`)
    await sleep(opts.busyDelayMs ?? 250, undefined, { signal }).catch(() => undefined)
  }

  const counts = await em.execute<{ key_id: string; n: string }[]>(
    'select key_id, count(*) as n from cloud_accounts group by key_id order by key_id',
  )
  const keysInUse = Object.fromEntries(counts.map((r) => [r.key_id, Number(r.n)]))
  const remaining = Object.entries(keysInUse).reduce(
    (sum, [id, n]) => sum + (id === active ? 0 : n),
    0,
  )
  log(`rewrapped ${rewrapped}, already current ${alreadyCurrent}, failed ${failures.length}`)
  return {
    activeKeyId: active,
    rewrapped,
    alreadyCurrent,
    failed: failures.length,
    failures,
    remaining,
    keysInUse,
  }
}

function databaseReason(err: unknown): string {
  // Driver messages can quote row values; the exception class is enough to act on.
  const name = err instanceof Error ? err.name : 'unknown error'
  return name === 'UniqueConstraintViolationException' ? COLLISION : `database error (${name})`
}
