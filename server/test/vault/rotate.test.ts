import t from 'tap'
import { createTestDatabase } from '../helper.js'
import { createVault } from '../../src/domain/vault/vault.js'
import {
  canonicalOf,
  connect,
  newKey,
  readable,
  rotate,
  seedAccounts,
  storedAccounts,
  type SeededAccount,
} from './fixtures/support.js'

// Real databases, and embedded PGlite is slow: more than the default 120 s per file on a busy machine.
t.setTimeout(300_000)

t.test('rotates 1,000 accounts; afterwards only the new key is needed', async (t) => {
  const db = await connect((await createTestDatabase(t)).env)
  t.teardown(() => db.close())
  const [k1, k2] = [newKey(), newKey()]
  const accounts = await seedAccounts(db.orm, createVault({ keys: `k1:${k1}` }), 1000)
  const before = new Map((await storedAccounts(db.orm)).map((r) => [r.id, r]))

  const lines: string[] = []
  const vault = createVault({ keys: `k2:${k2},k1:${k1}` })
  const result = await rotate({ em: db.orm.em.fork(), vault, log: (l) => lines.push(l) })
  t.match(result, {
    activeKeyId: 'k2',
    rewrapped: 1000,
    alreadyCurrent: 0,
    failed: 0,
    remaining: 0,
  })
  t.same(result.keysInUse, { k2: 1000 })
  t.ok(lines.includes('rewrapped 1000, already current 0, failed 0'), 'prints the counts')
  t.equal(lines.filter((l) => l.startsWith('batch ')).length, 10, 'ten batches of 100')
  t.notOk(lines.join('\n').includes('secret-'), 'no credential in the output')

  t.equal(await readable(db, createVault({ keys: `k2:${k2}` }), accounts), 1000)
  const after = await storedAccounts(db.orm)
  t.ok(
    after.every((r) => r.version === 2 && before.get(r.id)?.ciphertext.equals(r.ciphertext)),
    'ciphertext kept, version bumped',
  )

  const again = await rotate({ em: db.orm.em.fork(), vault })
  t.match(again, { rewrapped: 0, alreadyCurrent: 1000, failed: 0, remaining: 0 })
})

t.test('rows that cannot be rotated are reported and keep their key', async (t) => {
  const db = await connect((await createTestDatabase(t)).env)
  t.teardown(() => db.close())
  const [k0, k1, k2] = [newKey(), newKey(), newKey()]
  const old = createVault({ keys: `k1:${k1}` })
  const accounts = await seedAccounts(db.orm, old, 20, 1)
  const em = db.orm.em.fork()
  const [tampered, unknown, mismatched] = accounts.map((a) => a.id)
  await em.execute(
    'update cloud_accounts set ciphertext = set_byte(ciphertext, 40, get_byte(ciphertext, 40) # 1) where id = ?',
    [tampered],
  )
  await em.execute(`update cloud_accounts set key_id = 'k9' where id = ?`, [unknown])
  await em.execute(`update cloud_accounts set fingerprint = repeat('0', 64) where id = ?`, [
    mismatched,
  ])
  const orphan = (accounts[5] as SeededAccount).id
  await em.execute(`update cloud_accounts set provider = 'retired' where id = ?`, [orphan])
  // Same credential as the first untouched row, sealed under another old key (possible when a
  // duplicate check during an earlier rotation missed it): both re-key to one fingerprint.
  const twin = accounts[3] as SeededAccount
  const other = createVault({ keys: `k0:${k0}` })
  const sealed = other.seal(twin.credential, { workspaceId: twin.workspaceId, accountId: twin.id })
  await em.execute(
    `update cloud_accounts set key_id = 'k0', wrapped_key = ?, ciphertext = ?, fingerprint = ? where id = ?`,
    [
      sealed.wrappedKey,
      sealed.ciphertext,
      other.fingerprint(twin.workspaceId, canonicalOf(twin.credential)),
      twin.id,
    ],
  )
  await em.execute(
    `update cloud_accounts set ciphertext = ?, wrapped_key = ?, fingerprint = ? where id = ?`,
    [
      ...(() => {
        const s = old.seal(twin.credential, {
          workspaceId: twin.workspaceId,
          accountId: (accounts[4] as SeededAccount).id,
        })
        return [s.ciphertext, s.wrappedKey]
      })(),
      old.fingerprint(twin.workspaceId, canonicalOf(twin.credential)),
      (accounts[4] as SeededAccount).id,
    ],
  )

  const lines: string[] = []
  const vault = createVault({ keys: `k2:${k2},k1:${k1},k0:${k0}` })
  const result = await rotate({ em: db.orm.em.fork(), vault, log: (l) => lines.push(l) })
  t.match(result, { rewrapped: 15, failed: 5, remaining: 5 })
  const reasons = Object.fromEntries(result.failures.map((f) => [f.accountId, f.reason]))
  t.match(reasons[tampered as string], /failed authentication/)
  t.match(reasons[unknown as string], /"k9" is not in VAULT_KEYS/)
  t.match(reasons[mismatched as string], /fingerprint does not match/)
  t.match(reasons[orphan], /no provider module for "retired"/)
  t.equal(Object.values(reasons).filter((r) => /collides/.test(r)).length, 1, 'one of the twins')
  t.ok(lines.includes('rewrapped 15, already current 0, failed 5'))
  t.notOk(lines.join('\n').includes('secret-'), 'no credential in the output')

  const again = await rotate({ em: db.orm.em.fork(), vault })
  t.match(again, { rewrapped: 0, alreadyCurrent: 15, failed: 5, remaining: 5 }, 'no endless retry')
})
