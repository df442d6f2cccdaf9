import t from 'tap'
import { randomBytes } from 'node:crypto'
import { build, TEST_VAULT_KEYS } from '../helper.js'
import { newUser } from '../support/fixtures.js'
import { enrolTotp } from '../support/mfa.js'
import { totpAad } from '../../src/domain/mfa/mfa-service.js'
import { rotateTotpSecrets } from '../../src/domain/mfa/rotate.js'
import { sealedOfRow } from '../../src/domain/vault/sealed-row.js'
import { createVault } from '../../src/domain/vault/vault.js'

// vault:rotate rewraps second-factor secrets too: an old key must not stay needed for them.

t.test('TOTP secrets are rewrapped under the new active key', async (t) => {
  const { app } = await build(t)
  const person = await newUser(app)
  const { secret } = await enrolTotp(app, person)
  const newKey = `k2:${randomBytes(32).toString('base64')}`
  const next = createVault({ keys: `${newKey},${TEST_VAULT_KEYS}` })

  const result = await rotateTotpSecrets(app.orm.em.fork(), next)
  t.equal(result.rewrapped, 1)
  t.same(result.failed, [])
  t.same(Object.keys(result.keysInUse), ['k2'], 'no secret is left on the old key')

  const [row] = await app.orm.em
    .fork()
    .execute(`select user_id, key_id, wrapped_key, sealed_secret from user_mfa where user_id = ?`, [
      person.user.id,
    ])
  // Opened without the old key at all: it may leave VAULT_KEYS.
  const onlyNew = createVault({ keys: newKey })
  const opened = onlyNew.open<{ secret: string }>(
    sealedOfRow(row as object, 'sealed_secret'),
    totpAad(person.user.id),
  )
  t.equal(opened.secret, secret, 'the same secret, under the new key')
  t.equal(
    (await rotateTotpSecrets(app.orm.em.fork(), next)).rewrapped,
    0,
    'a rerun has nothing to do',
  )
})
