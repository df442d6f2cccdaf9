import fp from 'fastify-plugin'
import { applyCanonicalUpgrades } from '../../domain/vault/refingerprint.js'

/**
 * Data upgrades a migration asked for but could not do in SQL, because they need the vault (e.g.
 * fingerprints after a provider's canonical credential form changed). Runs before traffic.
 */
export default fp(
  async (app) => {
    const result = await applyCanonicalUpgrades(app.orm.em.fork(), app.vault, (line) =>
      app.log.info(line),
    )
    if (result.skipped > 0)
      app.log.warn(
        { skipped: result.skipped },
        'some accounts could not be re-fingerprinted (their vault key is missing); retried at the next start',
      )
  },
  { name: 'upgrades', dependencies: ['db', 'vault'] },
)
