import type { EntityManager } from '@mikro-orm/postgresql'
import type { ProviderId } from '@cloudlink/shared'
import { AWS_ONE_KEY_ONE_ACCOUNT } from '../../db/migrations/Migration20261201000000.js'
import { recordAudit } from '../audit/audit-service.js'
import { providerCanonical } from './provider-canonical.js'
import type { Vault } from './vault.js'

/**
 * A provider whose canonical credential form changed: its stored fingerprints (HMACs of the old
 * form) no longer find duplicates, and vault rotation would refuse the rows. A migration leaves the
 * marker `key` in app_state; this recomputes the fingerprints with the vault, which SQL cannot do.
 */
interface CanonicalUpgrade {
  key: string
  provider: ProviderId
  /** The audit message on an account merged into an older one that now has the same fingerprint. */
  merged: (survivorLabel: string) => string
}

/**
 * AWS: one access key was one account per region; now it is one account covering every region, and
 * its canonical form dropped the region. Rows of one key connected for several regions collapse
 * into the oldest (earliest createdAt, then id), which keeps its label, credential and history.
 */
const UPGRADES: CanonicalUpgrade[] = [
  {
    key: AWS_ONE_KEY_ONE_ACCOUNT,
    provider: 'aws',
    merged: (label) =>
      `Merged into "${label}": one AWS access key is now one account that lists every region`,
  },
]

interface Row {
  id: string
  workspace_id: string
  label: string
  key_id: string
  wrapped_key: Buffer
  ciphertext: Buffer
  fingerprint: string
  is_default: boolean
}

export interface RefingerprintResult {
  rekeyed: number
  merged: number
  /** Rows whose credential could not be opened (e.g. their vault key is gone); retried next start. */
  skipped: number
}

/**
 * Runs every pending upgrade, each in one transaction under an advisory lock, so instances starting
 * together do it once. Idempotent: a row already carrying its new fingerprint is left alone, and
 * the marker goes only when every row was handled.
 */
export async function applyCanonicalUpgrades(
  em: EntityManager,
  vault: Vault,
  log: (line: string) => void = () => undefined,
): Promise<RefingerprintResult> {
  const total: RefingerprintResult = { rekeyed: 0, merged: 0, skipped: 0 }
  for (const upgrade of UPGRADES) {
    const result = await em.transactional((tx) => runUpgrade(tx, vault, upgrade, log))
    total.rekeyed += result.rekeyed
    total.merged += result.merged
    total.skipped += result.skipped
  }
  return total
}

async function runUpgrade(
  tx: EntityManager,
  vault: Vault,
  upgrade: CanonicalUpgrade,
  log: (line: string) => void,
): Promise<RefingerprintResult> {
  const result: RefingerprintResult = { rekeyed: 0, merged: 0, skipped: 0 }
  await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [upgrade.key])
  const [pending] = await tx.execute<{ key: string }[]>('select key from app_state where key = ?', [
    upgrade.key,
  ])
  if (!pending) return result

  const rows = await tx.execute<Row[]>(
    `select id, workspace_id, label, key_id, wrapped_key, ciphertext, fingerprint, is_default
     from cloud_accounts where provider = ? order by workspace_id, created_at, id for update`,
    [upgrade.provider],
  )
  // Grouped by the fingerprint under the active key, so rows sealed under different vault keys
  // but holding the same credential are recognised as one.
  const groups = new Map<string, { row: Row; fingerprint: string }[]>()
  for (const row of rows) {
    let canonical: string
    try {
      const credential = vault.open(
        { keyId: row.key_id, wrappedKey: row.wrapped_key, ciphertext: row.ciphertext },
        { workspaceId: row.workspace_id, accountId: row.id },
      )
      canonical = providerCanonical(upgrade.provider, credential)
    } catch (err: unknown) {
      result.skipped++
      // The reason is ours (a vault error's name), never the plaintext.
      log(
        `${upgrade.key}: account ${row.id} skipped (${err instanceof Error ? err.name : 'error'})`,
      )
      continue
    }
    const group = `${row.workspace_id}\n${vault.fingerprint(row.workspace_id, canonical)}`
    const entry = { row, fingerprint: vault.fingerprint(row.workspace_id, canonical, row.key_id) }
    groups.set(group, [...(groups.get(group) ?? []), entry])
  }

  for (const [survivor, ...duplicates] of groups.values()) {
    if (!survivor) continue
    for (const { row } of duplicates) {
      // The survivor lists every region now; servers it does not know yet move to it, so their
      // history (createdAt) survives, and the next check updates them.
      await tx.execute(
        `update servers set account_id = ? where account_id = ? and provider_server_id not in
           (select provider_server_id from servers where account_id = ?)`,
        [survivor.row.id, row.id, survivor.row.id],
      )
      await tx.execute('update servers set account_id = null where account_id = ?', [row.id])
      await tx.execute('delete from cloud_accounts where id = ?', [row.id])
      await recordAudit(
        tx,
        {
          workspaceId: row.workspace_id,
          actor: null,
          ip: null,
          action: 'account.remove',
          outcome: 'success',
          provider: upgrade.provider,
          accountId: row.id,
          message: upgrade.merged(survivor.row.label),
        },
        { inTransaction: true },
      )
      result.merged++
    }
    const becomesDefault = !survivor.row.is_default && duplicates.some(({ row }) => row.is_default)
    if (becomesDefault || survivor.row.fingerprint !== survivor.fingerprint) {
      await tx.execute(
        `update cloud_accounts set fingerprint = ?, is_default = is_default or ?, version = version + 1
         where id = ?`,
        [survivor.fingerprint, becomesDefault, survivor.row.id],
      )
      result.rekeyed++
    }
  }
  if (result.skipped === 0) await tx.execute('delete from app_state where key = ?', [upgrade.key])
  log(
    `${upgrade.key}: ${result.rekeyed} re-fingerprinted, ${result.merged} merged, ${result.skipped} skipped`,
  )
  return result
}
