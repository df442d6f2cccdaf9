import t from 'tap'
import { randomBytes } from 'node:crypto'
import { build, TEST_VAULT_KEYS } from '../helper.js'
import { team } from '../support/fixtures.js'
import { rotateWebhookSecrets } from '../../src/domain/notifications/rotate-secrets.js'
import { sealedOfRow } from '../../src/domain/vault/sealed-row.js'
import { createVault } from '../../src/domain/vault/vault.js'
import { webhooksUrl } from './support.js'

/** vault:rotate re-wraps webhook secrets too, so an old key can leave VAULT_KEYS. */
t.test('webhook secrets move to the new vault key', async (t) => {
  const { app } = await build(t, { config: { RECHECK_SCHEDULE: 'off' } })
  const { workspaceId, owner } = await team(app)
  const res = await app.inject({
    method: 'POST',
    url: webhooksUrl(workspaceId),
    headers: owner.headers,
    payload: { url: 'https://93.184.215.14/hook', events: ['account.expired'] },
  })
  const { id, secret } = res.json() as { id: string; secret: string }

  const newKey = `k2:${randomBytes(32).toString('base64')}`
  const rotating = createVault({ keys: `${newKey},${TEST_VAULT_KEYS}` })
  const result = await rotateWebhookSecrets({ em: app.orm.em.fork(), vault: rotating })
  t.match(result, { rewrapped: 1, failed: [], remaining: 0, keysInUse: { k2: 1 } })

  const [row] = await app.orm.em
    .fork()
    .execute<Record<string, unknown>[]>(`select * from webhooks where id = ?`, [id])
  const onlyNew = createVault({ keys: newKey })
  t.same(
    onlyNew.open(sealedOfRow(row as object), { workspaceId, accountId: id }),
    { secret },
    'opens with the new key alone',
  )
  t.throws(() =>
    onlyNew.open(sealedOfRow(row as object), { workspaceId, accountId: randomUUIDLike() }),
  )
  const again = await rotateWebhookSecrets({ em: app.orm.em.fork(), vault: rotating })
  t.match(again, { rewrapped: 0, remaining: 0 }, 'nothing left to do')
})

const randomUUIDLike = () => crypto.randomUUID()
