import t from 'tap'
import Fastify from 'fastify'
import { randomUUID } from 'node:crypto'
import configPlugin from '../../src/plugins/core/config.js'
import vaultPlugin from '../../src/plugins/core/vault.js'
import { testConfig, TEST_VAULT_KEYS } from '../helper.js'

t.test('decorates app.vault from VAULT_KEYS', async (t) => {
  const app = Fastify({ logger: false })
  t.teardown(() => app.close())
  await app.register(configPlugin, { config: testConfig({ DATA_DIR: '/nonexistent' }) })
  await app.register(vaultPlugin)
  await app.ready()
  t.equal(app.vault.activeKeyId, TEST_VAULT_KEYS.split(':')[0])
  const aad = { workspaceId: randomUUID(), accountId: randomUUID() }
  t.same(app.vault.open(app.vault.seal({ token: 'x' }, aad), aad), { token: 'x' })
})

t.test('needs the config plugin', async (t) => {
  const app = Fastify({ logger: false })
  await t.rejects(async () => {
    await app.register(vaultPlugin)
    await app.ready()
  }, /dependency 'config'/)
})

t.test('refuses to boot without keys', async (t) => {
  const app = Fastify({ logger: false })
  const config = { ...testConfig({ DATA_DIR: '/nonexistent' }), VAULT_KEYS: undefined }
  await app.register(configPlugin, { config })
  await t.rejects(async () => {
    await app.register(vaultPlugin)
    await app.ready()
  }, /VAULT_KEYS is not set/)
})
