import t, { type Test } from 'tap'
import { randomBytes, randomUUID } from 'node:crypto'
import { createVault, VaultError, type Sealed } from '../../src/domain/vault/vault.js'

const key = () => randomBytes(32).toString('base64')
const K1 = key()
const K2 = key()
const secret = `hcloud_${randomBytes(24).toString('hex')}`
const credential = { token: secret, note: 'prod' }
const row = () => ({ workspaceId: randomUUID(), accountId: randomUUID() })

const copy = (s: Sealed): Sealed => ({
  keyId: s.keyId,
  wrappedKey: Buffer.from(s.wrappedKey),
  ciphertext: Buffer.from(s.ciphertext),
})

/** Asserts a VaultError whose message carries no secret and no key material. */
function rejects(t: Test, fn: () => unknown, reason?: string | string[]) {
  try {
    fn()
    t.fail('expected a VaultError')
  } catch (err: unknown) {
    t.ok(err instanceof VaultError, 'is a VaultError')
    const e = err as VaultError
    if (reason) t.ok([reason].flat().includes(e.reason), `reason ${e.reason}`)
    for (const material of [secret, K1, K2]) t.notOk(e.message.includes(material), 'no secret')
  }
}

t.test('seal and open round trip', async (t) => {
  const vault = createVault({ keys: `k1:${K1}` })
  const aad = row()
  const sealed = vault.seal(credential, aad)
  t.equal(sealed.keyId, 'k1')
  t.equal(sealed.wrappedKey.length, 61)
  t.notOk(sealed.ciphertext.includes(Buffer.from(secret)), 'ciphertext hides the secret')
  t.same(vault.open(sealed, aad), credential)
  t.same(createVault({ keys: `k1:${K1}` }).open(sealed, aad), credential, 'another instance')
  const again = vault.seal(credential, aad)
  t.notOk(again.ciphertext.equals(sealed.ciphertext), 'fresh data key and IV per seal')
  t.notOk(again.wrappedKey.equals(sealed.wrappedKey))
})

t.test('a flipped bit anywhere fails', async (t) => {
  const vault = createVault({ keys: `k1:${K1}` })
  const aad = row()
  const sealed = vault.seal(credential, aad)
  for (const field of ['wrappedKey', 'ciphertext'] as const) {
    let failures = 0
    for (let i = 0; i < sealed[field].length; i++) {
      for (const bit of [0x01, 0x80]) {
        const bad = copy(sealed)
        bad[field][i] = (bad[field][i] as number) ^ bit
        try {
          vault.open(bad, aad)
        } catch (err: unknown) {
          if (err instanceof VaultError && ['tampered', 'malformed'].includes(err.reason))
            failures++
        }
      }
    }
    t.equal(failures, sealed[field].length * 2, `every flip in ${field} is caught`)
  }
  rejects(t, () => vault.open({ ...sealed, ciphertext: sealed.ciphertext.subarray(0, -1) }, aad))
  rejects(t, () => vault.open({ ...sealed, ciphertext: Buffer.alloc(10) }, aad), 'malformed')
  rejects(t, () => vault.open({ ...sealed, wrappedKey: sealed.wrappedKey.subarray(1) }, aad))
  const longer = Buffer.concat([sealed.ciphertext, Buffer.from([0])])
  rejects(t, () => vault.open({ ...sealed, ciphertext: longer }, aad), 'tampered')
})

t.test('a sealed credential does not open on another row', async (t) => {
  const vault = createVault({ keys: `k1:${K1}` })
  const a = row()
  const b = { workspaceId: a.workspaceId, accountId: randomUUID() }
  const sa = vault.seal(credential, a)
  const sb = vault.seal({ token: 'other' }, b)
  rejects(t, () => vault.open(sa, b), 'tampered')
  rejects(t, () => vault.open(sa, { ...a, workspaceId: randomUUID() }), 'tampered')
  rejects(
    t,
    () => vault.open(sa, { workspaceId: a.accountId, accountId: a.workspaceId }),
    'tampered',
  )
  rejects(t, () => vault.open({ ...sa, wrappedKey: sb.wrappedKey }, a), 'tampered')
  rejects(t, () => vault.open({ ...sa, ciphertext: sb.ciphertext }, a), 'tampered')
  t.throws(() => vault.open(sa, { ...a, accountId: '' }), TypeError)
})

t.test('unknown and relabelled key ids fail', async (t) => {
  const old = createVault({ keys: `k1:${K1}` })
  const both = createVault({ keys: `k2:${K2},k1:${K1}` })
  const aad = row()
  const sealed = old.seal(credential, aad)
  rejects(t, () => old.open({ ...sealed, keyId: 'k9' }, aad), 'unknown-key')
  rejects(t, () => createVault({ keys: `k2:${K2}` }).open(sealed, aad), 'unknown-key')
  // The wrap binds the key id: claiming another configured key does not verify.
  rejects(t, () => both.open({ ...sealed, keyId: 'k2' }, aad), 'tampered')
  // Same key material under another id is refused at parse time, so relabelling cannot help.
  rejects(
    t,
    () => createVault({ keys: `k2:${K1}` }).open({ ...sealed, keyId: 'k2' }, aad),
    'tampered',
  )
})

t.test('rewrap moves the data key to the active key; the old key is then not needed', async (t) => {
  const old = createVault({ keys: `k1:${K1}` })
  const both = createVault({ keys: `k2:${K2},k1:${K1}` })
  const only = createVault({ keys: `k2:${K2}` })
  const aad = row()
  const sealed = old.seal(credential, aad)
  t.equal(both.activeKeyId, 'k2')
  t.same(both.keyIds, ['k2', 'k1'])
  t.ok(both.hasKey('k1'))
  t.notOk(only.hasKey('k1'))
  const moved = both.rewrap(sealed, aad)
  t.equal(moved.keyId, 'k2')
  t.equal(moved.ciphertext, sealed.ciphertext, 'ciphertext untouched')
  t.notOk(moved.wrappedKey.equals(sealed.wrappedKey))
  t.same(only.open(moved, aad), credential)
  t.equal(both.rewrap(moved, aad), moved, 'no-op when already on the active key')
  rejects(t, () => both.rewrap(sealed, row()), 'tampered')
  const bad = copy(sealed)
  bad.wrappedKey[40] = (bad.wrappedKey[40] as number) ^ 1
  rejects(t, () => both.rewrap(bad, aad), 'tampered')
  // A sealed credential made after rotation starts on the new key directly.
  t.equal(both.seal(credential, aad).keyId, 'k2')
})

t.test('fingerprints', async (t) => {
  const vault = createVault({ keys: `k1:${K1}` })
  const ws = randomUUID()
  const canonical = JSON.stringify(['hetzner-cloud', credential])
  const fp = vault.fingerprint(ws, canonical)
  t.match(fp, /^[0-9a-f]{64}$/)
  t.equal(fp, createVault({ keys: `k1:${K1}` }).fingerprint(ws, canonical), 'stable')
  t.not(fp, vault.fingerprint(randomUUID(), canonical), 'scoped to the workspace')
  t.not(fp, vault.fingerprint(ws, canonical + ' '), 'differs with the credential')
  t.notOk(fp.includes(Buffer.from(secret).toString('hex').slice(0, 16)), 'no secret in it')
  t.notOk(fp.includes(secret.slice(0, 8)))
  const both = createVault({ keys: `k2:${K2},k1:${K1}` })
  t.equal(both.fingerprint(ws, canonical, 'k1'), fp, 'an old key still reproduces old fingerprints')
  t.not(both.fingerprint(ws, canonical), fp, 're-keyed under the active key')
  t.same(both.fingerprintCandidates(ws, canonical), [both.fingerprint(ws, canonical), fp])
  rejects(t, () => both.fingerprint(ws, canonical, 'k9'), 'unknown-key')
})

t.test('VAULT_KEYS parse errors are clear and never echo key material', async (t) => {
  const short = randomBytes(31).toString('base64')
  const long = randomBytes(33).toString('base64')
  const cases: [string, RegExp][] = [
    ['', /no keys/],
    [`k1:${K1},k1:${K2}`, /"k1" is listed twice/],
    [`k1:${short}`, /"k1" must be base64 of exactly 32 bytes/],
    [`k1:${long}`, /exactly 32 bytes/],
    [`k1:${K1.slice(0, -2)}!=`, /exactly 32 bytes/],
    [K1, /entry 1 is not keyId:base64/],
    [`k1:${K1},bad id:${K2}`, /entry 2: key id/],
    [`k1:${K1},k2:${K1}`, /"k1" and "k2" are the same key/],
  ]
  for (const [keys, message] of cases) {
    try {
      createVault({ keys })
      t.fail(`accepted ${message}`)
    } catch (err: unknown) {
      t.ok(err instanceof VaultError && err.reason === 'invalid-keys')
      const text = (err as Error).message
      t.match(text, message)
      for (const material of [K1, K2, short, long, K1.slice(0, 20)])
        t.notOk(text.includes(material), 'no key material')
    }
  }
})
