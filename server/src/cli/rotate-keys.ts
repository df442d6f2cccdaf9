import { access } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { MikroORM } from '@mikro-orm/postgresql'
import { ConfigError, loadConfig, type Config } from '../config.js'
import { pendingMigrations } from '../db/migrate.js'
import { createOrmConfig } from '../db/orm-config.js'
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../embedded/pglite.js'
import { loadOrCreateSecrets } from '../embedded/secrets.js'
import { VaultError } from '../domain/vault/errors.js'
import { providerCanonical } from '../domain/vault/provider-canonical.js'
import { applyCanonicalUpgrades } from '../domain/vault/refingerprint.js'
import { rotateKeys } from '../domain/vault/rotate.js'
import { rotateWebhookSecrets } from '../domain/notifications/rotate-secrets.js'
import { createVault } from '../domain/vault/vault.js'
import { rotateTotpSecrets } from '../domain/mfa/rotate.js'

const USAGE = `Usage: vault:rotate [--batch-size N] [--max-batches N]

Rewraps every stored credential's data key under the first VAULT_KEYS entry, online and resumable.
Put the new key first in VAULT_KEYS (keep the old ones after it), restart the servers, run this,
and remove an old key only once it reports no account left on it.
Embedded mode (no DATABASE_URL): stop the server first; PGlite's data directory has one owner.`

class UsageError extends Error {}

const positive = (value: string | undefined, name: string): number | undefined => {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer`)
  return n
}

/** The same precedence as server.ts: the environment first, DATA_DIR/secrets.json in embedded mode. */
async function resolveConfig(): Promise<Config> {
  const config = loadConfig()
  if (!config.embedded || config.VAULT_KEYS) return config
  // An empty DATA_DIR holds nothing to rotate; creating keys there would only hide a typo.
  await access(join(config.DATA_DIR, 'secrets.json')).catch(() => {
    throw new UsageError(`no embedded data in ${config.DATA_DIR} (set DATA_DIR or DATABASE_URL)`)
  })
  const { secrets } = await loadOrCreateSecrets(config.DATA_DIR)
  return loadConfig({ ...process.env, VAULT_KEYS: secrets.VAULT_KEYS })
}

function parseOptions() {
  try {
    return parseArgs({
      options: {
        'batch-size': { type: 'string' },
        'max-batches': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values
  } catch (err: unknown) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`)
  }
}

async function main(): Promise<number> {
  const values = parseOptions()
  if (values.help) {
    console.log(USAGE)
    return 0
  }
  const batchSize = positive(values['batch-size'], 'batch-size')
  const maxBatches = positive(values['max-batches'], 'max-batches')
  const config = await resolveConfig()
  const vault = createVault({ keys: config.VAULT_KEYS ?? '' })

  let embedded: EmbeddedDatabase | null = null
  let orm: MikroORM | undefined
  const stop = new AbortController()
  process.once('SIGINT', () => {
    console.log('stopping after the current batch (run again to resume)')
    stop.abort()
  })
  try {
    if (config.embedded) embedded = await startEmbeddedDatabase(join(config.DATA_DIR, 'pgdata'))
    const url = embedded?.url ?? (config.DATABASE_URL as string)
    orm = await MikroORM.init(createOrmConfig({ url, singleConnection: embedded !== null }))
    if ((await pendingMigrations(orm)) > 0)
      throw new UsageError('the database schema is behind: start the server once to migrate it')

    // Fingerprints a migration asked to recompute must be current, or rotation refuses those rows.
    await applyCanonicalUpgrades(orm.em.fork(), vault, (line) => console.log(line))
    console.log(`rotating to vault key "${vault.activeKeyId}"`)
    const result = await rotateKeys({
      em: orm.em.fork(),
      vault,
      canonical: providerCanonical,
      batchSize,
      maxBatches,
      signal: stop.signal,
      log: (line) => console.log(line),
    })
    const totp = await rotateTotpSecrets(orm.em.fork(), vault)
    console.log(`second-factor secrets: ${totp.rewrapped} rewrapped, ${totp.failed.length} failed`)
    const secrets = await rotateWebhookSecrets({ em: orm.em.fork(), vault, signal: stop.signal })
    for (const f of secrets.failed)
      console.log(`failed webhook ${f.webhookId} (key ${f.keyId}): ${f.reason}`)
    const inUse = Object.entries(result.keysInUse).map(([id, n]) => `${id} (${n})`)
    console.log(`accounts per key: ${inUse.join(', ') || 'none'}`)
    const hooks = Object.entries(secrets.keysInUse).map(([id, n]) => `${id} (${n})`)
    console.log(`webhook secrets per key: ${hooks.join(', ') || 'none'}`)
    const keysInUse = { ...result.keysInUse }
    for (const used of [totp.keysInUse, secrets.keysInUse])
      for (const [id, n] of Object.entries(used)) keysInUse[id] = (keysInUse[id] ?? 0) + n
    const totpLeft = Object.entries(totp.keysInUse).reduce(
      (sum, [id, n]) => sum + (id === vault.activeKeyId ? 0 : n),
      0,
    )
    if (result.remaining > 0 || totpLeft > 0 || secrets.remaining > 0) {
      console.log(
        `${result.remaining} accounts, ${totpLeft} second-factor secrets and ${secrets.remaining} webhook secrets still need an old key: keep it in VAULT_KEYS`,
      )
      return 1
    }
    const unused = vault.keyIds.filter((id) => id !== vault.activeKeyId && !keysInUse[id])
    if (unused.length > 0) console.log(`no account uses ${unused.join(', ')}: safe to remove`)
    return 0
  } finally {
    await orm?.close()
    await embedded?.close()
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof VaultError || err instanceof UsageError) {
      console.error(`vault:rotate: ${err.message}`)
      process.exit(err instanceof UsageError ? 64 : 78)
    }
    console.error(err)
    process.exit(1)
  },
)
