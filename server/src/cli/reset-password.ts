import { access } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { MikroORM } from '@mikro-orm/postgresql'
import { ConfigError, loadConfig, publicUrl } from '../config.js'
import { pendingMigrations } from '../db/migrate.js'
import { createOrmConfig } from '../db/orm-config.js'
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../embedded/pglite.js'
import { issuePasswordReset } from '../domain/auth/password-resets.js'
import { normalizeEmail } from '../domain/members/dto.js'
import { removeMfa } from '../domain/mfa/mfa-service.js'

const USAGE = `Usage: user:reset-password <email> [--remove-mfa]

Prints a one-time link (valid for one hour) that sets a new password for the account, for the
operator of an installation whose last owner lost theirs. Using the link ends every session of
the account. Its second factor stays, unless --remove-mfa turns it off now (lost authenticator
and recovery codes too). The link is built from PUBLIC_URL.
Embedded mode (no DATABASE_URL): stop the server first; PGlite's data directory has one owner.`

class UsageError extends Error {}

function parseOptions() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: { 'remove-mfa': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    })
  } catch (err: unknown) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`)
  }
}

async function main(): Promise<number> {
  const { values, positionals } = parseOptions()
  if (values.help) {
    console.log(USAGE)
    return 0
  }
  if (positionals.length !== 1) throw new UsageError(USAGE)
  const email = normalizeEmail(positionals[0] as string)
  const config = loadConfig()

  let embedded: EmbeddedDatabase | null = null
  let orm: MikroORM | undefined
  try {
    if (config.embedded) {
      const dir = join(config.DATA_DIR, 'pgdata')
      await access(dir).catch(() => {
        throw new UsageError(
          `no embedded data in ${config.DATA_DIR} (set DATA_DIR or DATABASE_URL)`,
        )
      })
      embedded = await startEmbeddedDatabase(dir)
    }
    const url = embedded?.url ?? (config.DATABASE_URL as string)
    orm = await MikroORM.init(createOrmConfig({ url, singleConnection: embedded !== null }))
    if ((await pendingMigrations(orm)) > 0)
      throw new UsageError('the database schema is behind: start the server once to migrate it')
    const em = orm.em.fork()
    const [user] = await em.execute<{ id: string }[]>(`select id from users where email = ?`, [
      email,
    ])
    if (!user) throw new UsageError(`no account with the email ${email}`)
    if (values['remove-mfa']) {
      await removeMfa(em, user.id)
      console.log(`second factor of ${email} removed`)
    }
    const { token, expiresAt } = await issuePasswordReset(em, {
      userId: user.id,
      workspaceId: null,
      createdBy: null,
    })
    console.log(`One-time link for ${email} (valid until ${expiresAt.toISOString()}):`)
    console.log(`${publicUrl(config)}/reset-password/${token}`)
    return 0
  } finally {
    await orm?.close()
    await embedded?.close()
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof UsageError) {
      console.error(`user:reset-password: ${err.message}`)
      process.exit(err instanceof UsageError ? 64 : 78)
    }
    console.error(err)
    process.exit(1)
  },
)
