import fp from 'fastify-plugin'
import { createVault, type Vault } from '../../domain/vault/vault.js'

declare module 'fastify' {
  interface FastifyInstance {
    vault: Vault
  }
}

/** Envelope encryption for stored provider credentials (`app.vault`), keyed by VAULT_KEYS. */
export default fp(
  async (app) => {
    const keys = app.config.VAULT_KEYS
    // server.ts fills VAULT_KEYS from DATA_DIR/secrets.json in embedded mode, so this is a wiring bug.
    if (!keys) throw new Error('vault: VAULT_KEYS is not set')
    app.decorate('vault', createVault({ keys }))
  },
  { name: 'vault', dependencies: ['config'] },
)
