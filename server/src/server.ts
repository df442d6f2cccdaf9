import { fileURLToPath } from 'node:url'
import { ConfigError, loadConfig, publicUrl, type Config } from './config.js'
import { loadOrCreateSecrets } from './embedded/secrets.js'
import { buildServer } from './build-server.js'

async function resolveConfig(): Promise<{ config: Config; generated: boolean }> {
  const config = loadConfig()
  if (!config.embedded || (config.VAULT_KEYS && config.JWT_SECRET))
    return { config, generated: false }
  const { secrets, created } = await loadOrCreateSecrets(config.DATA_DIR)
  return {
    config: loadConfig({
      ...process.env,
      VAULT_KEYS: config.VAULT_KEYS ?? secrets.VAULT_KEYS,
      JWT_SECRET: config.JWT_SECRET ?? secrets.JWT_SECRET,
    }),
    generated: created,
  }
}

async function main() {
  let resolved
  try {
    resolved = await resolveConfig()
  } catch (err: unknown) {
    if (err instanceof ConfigError) {
      console.error(`cloudlink: configuration error: ${err.message}`)
      process.exit(78)
    }
    throw err
  }
  const { config, generated } = resolved
  const webRoot = fileURLToPath(new URL('../../web/dist', import.meta.url))
  const server = await buildServer({ config, webRoot })
  if (config.embedded)
    server.log.warn(
      { dataDir: config.DATA_DIR, generatedKeys: generated },
      'embedded PostgreSQL (PGlite) in DATA_DIR with keys kept in DATA_DIR/secrets.json; set DATABASE_URL, VAULT_KEYS and JWT_SECRET for production',
    )

  // SIGTERM (docker stop, a rolling deploy): readiness turns 503 first, then Fastify stops accepting,
  // lets in-flight requests and provider calls finish, and the jobs plugin's onClose ends the sweep,
  // releasing its leases so another instance takes those accounts at once. Bounded: after
  // SHUTDOWN_GRACE_MS the remaining connections are cut and the process exits 1.
  let closing = false
  const close = async (signal: string) => {
    if (closing) return
    closing = true
    server.lifecycle.draining = true
    server.log.info({ signal }, 'shutting down: draining')
    const timer = setTimeout(() => {
      server.log.warn('shutdown grace period over; closing the remaining connections')
      server.server.closeAllConnections()
      setTimeout(() => process.exit(1), 1_000).unref()
    }, config.SHUTDOWN_GRACE_MS)
    timer.unref()
    try {
      await server.close()
    } catch (err: unknown) {
      server.log.error({ err }, 'error while shutting down')
      process.exit(1)
    }
    server.log.info('shut down cleanly')
    process.exit(0)
  }
  process.once('SIGINT', () => void close('SIGINT'))
  process.once('SIGTERM', () => void close('SIGTERM'))

  await server.listen({ port: config.PORT, host: config.HOST })
  const url = publicUrl({ ...config, PORT: (server.server.address() as { port: number }).port })
  // With PORT=0 the real port is known only now; links (invitations, OAuth) must carry it.
  config.PUBLIC_URL ??= url
  console.log(`\n  Cloudlink is running at ${url}\n`)
}

void main()
