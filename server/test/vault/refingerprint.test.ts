import t from 'tap'
import { randomUUID } from 'node:crypto'
import type { MikroORM } from '@mikro-orm/postgresql'
import { build, createTestDatabase, TEST_VAULT_KEYS } from '../helper.js'
import { AWS_ONE_KEY_ONE_ACCOUNT } from '../../src/db/migrations/Migration20261201000000.js'
import { providerCanonical } from '../../src/domain/vault/provider-canonical.js'
import { applyCanonicalUpgrades } from '../../src/domain/vault/refingerprint.js'
import { createVault, type Vault } from '../../src/domain/vault/vault.js'
import { connect, newKey } from './fixtures/support.js'

t.setTimeout(300_000)

const KEY_A = { accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', secretAccessKey: 'a'.repeat(40) }
const KEY_B = { accessKeyId: 'AKIABBBBBBBBBBBBBBBB', secretAccessKey: 'b'.repeat(40) }

interface Seed {
  workspaceId: string
  label: string
  credential: Record<string, string>
  createdAt: string
  isDefault?: boolean
  servers?: string[]
}

/**
 * AWS rows as the previous release stored them: one per key and region, fingerprinted over
 * `key:secret:region`, and the marker Migration20261201000000 leaves when AWS accounts exist.
 */
async function seedLegacy(orm: MikroORM, vault: Vault, seeds: Seed[]) {
  const em = orm.em.fork()
  for (const ws of new Set(seeds.map((s) => s.workspaceId)))
    await em.execute('insert into workspaces (id, name, created_at) values (?, ?, now())', [
      ws,
      'W',
    ])
  const ids: Record<string, string> = {}
  for (const s of seeds) {
    const id = randomUUID()
    ids[`${s.workspaceId}/${s.label}`] = id
    const sealed = vault.seal(s.credential, { workspaceId: s.workspaceId, accountId: id })
    const c = s.credential
    const legacy = `${c.accessKeyId}:${c.secretAccessKey}:${c.region}`
    await em.execute(
      `insert into cloud_accounts (id, workspace_id, provider, label, hint, capabilities, warnings,
         is_default, fingerprint, key_id, wrapped_key, ciphertext, created_at, updated_at)
       values (?, ?, 'aws', ?, 'AKIA••••', '["compute"]', '[]', ?, ?, ?, ?, ?, ?, now())`,
      [
        id,
        s.workspaceId,
        s.label,
        s.isDefault ?? false,
        vault.fingerprint(s.workspaceId, legacy),
        sealed.keyId,
        sealed.wrappedKey,
        sealed.ciphertext,
        s.createdAt,
      ],
    )
    for (const serverId of s.servers ?? [])
      await em.execute(
        `insert into servers (id, workspace_id, account_id, provider, provider_server_id, name, status,
           last_seen_at, created_at) values (?, ?, ?, 'aws', ?, ?, 'running', now(), now())`,
        [randomUUID(), s.workspaceId, id, serverId, serverId],
      )
  }
  await em.execute(
    `insert into app_state (key, value, updated_at) values (?, '"pending"', now())`,
    [AWS_ONE_KEY_ONE_ACCOUNT],
  )
  return ids
}

const newFingerprint = (vault: Vault, workspaceId: string, credential: object) =>
  vault.fingerprint(workspaceId, providerCanonical('aws', credential))

t.test('at start-up: one key in several regions becomes its oldest account', async (t) => {
  const { env } = await createTestDatabase(t)
  const vault = createVault({ keys: TEST_VAULT_KEYS })
  const [w1, w2] = [randomUUID(), randomUUID()]
  const db = await connect(env)
  const ids = await seedLegacy(db.orm, vault, [
    {
      workspaceId: w1,
      label: 'eu',
      credential: { ...KEY_A, region: 'eu-west-1' },
      createdAt: '2026-01-01T00:00:00Z',
      servers: ['i-eu'],
    },
    {
      workspaceId: w1,
      label: 'us',
      credential: { ...KEY_A, region: 'us-east-1' },
      createdAt: '2026-02-01T00:00:00Z',
      isDefault: true,
      servers: ['i-us', 'i-eu'],
    },
    {
      workspaceId: w1,
      label: 'other key',
      credential: { ...KEY_B, region: 'eu-west-1' },
      createdAt: '2026-03-01T00:00:00Z',
    },
    {
      workspaceId: w2,
      label: 'same key, other workspace',
      credential: { ...KEY_A, region: 'us-east-1' },
      createdAt: '2026-04-01T00:00:00Z',
    },
  ])
  await db.close()

  const { app } = await build(t, { env })
  const q = <T>(sql: string, params: unknown[] = []) =>
    app.orm.em.fork().getConnection().execute<T[]>(sql, params)
  const accounts = await q<{
    id: string
    workspace_id: string
    label: string
    fingerprint: string
    is_default: boolean
    version: number
  }>(
    `select id, workspace_id, label, fingerprint, is_default, version from cloud_accounts order by created_at`,
  )
  t.same(
    accounts.map((a) => a.label),
    ['eu', 'other key', 'same key, other workspace'],
    'the newer row of key A in w1 was merged into the older one',
  )
  const eu = accounts[0]!
  t.equal(eu.id, ids[`${w1}/eu`])
  t.equal(eu.fingerprint, newFingerprint(vault, w1, KEY_A), 'fingerprint without the region')
  t.equal(eu.is_default, true, 'takes over the default flag of the merged row')
  t.equal(eu.version, 2)
  t.equal(accounts[1]!.fingerprint, newFingerprint(vault, w1, KEY_B))
  t.equal(accounts[2]!.fingerprint, newFingerprint(vault, w2, KEY_A))

  const servers = await q<{ provider_server_id: string; account_id: string | null }>(
    'select provider_server_id, account_id from servers order by provider_server_id, account_id nulls last',
  )
  t.same(servers, [
    { provider_server_id: 'i-eu', account_id: eu.id },
    { provider_server_id: 'i-eu', account_id: null },
    { provider_server_id: 'i-us', account_id: eu.id },
  ])
  const [audit] = await q<{
    action: string
    account_id: string
    message: string
    actor_id: string | null
  }>(`select action, account_id, message, actor_id from audit_entries where workspace_id = ?`, [w1])
  t.match(audit, {
    action: 'account.remove',
    account_id: ids[`${w1}/us`],
    actor_id: null,
    message: /^Merged into "eu": one AWS access key is now one account/,
  })
  t.same(await q('select key from app_state where key = ?', [AWS_ONE_KEY_ONE_ACCOUNT]), [])

  t.match(
    await applyCanonicalUpgrades(app.orm.em.fork(), vault),
    { rekeyed: 0, merged: 0, skipped: 0 },
    'nothing left to do',
  )
})

t.test('a row whose vault key is gone is skipped and the marker stays', async (t) => {
  const { env } = await createTestDatabase(t)
  const db = await connect(env)
  t.teardown(() => db.close())
  const old = createVault({ keys: `gone:${newKey()}` })
  const current = createVault({ keys: `k1:${newKey()}` })
  const ws = randomUUID()
  await seedLegacy(db.orm, old, [
    {
      workspaceId: ws,
      label: 'lost',
      credential: { ...KEY_A, region: 'us-east-1' },
      createdAt: '2026-01-01T00:00:00Z',
    },
  ])
  const lines: string[] = []
  t.match(await applyCanonicalUpgrades(db.orm.em.fork(), current, (l) => lines.push(l)), {
    rekeyed: 0,
    merged: 0,
    skipped: 1,
  })
  t.match(lines.join('\n'), /skipped \(VaultError\)/)
  t.notOk(lines.join('\n').includes(KEY_A.secretAccessKey), 'no secret in the log')
  const marker = await db.orm.em
    .fork()
    .execute('select key from app_state where key = ?', [AWS_ONE_KEY_ONE_ACCOUNT])
  t.equal(marker.length, 1, 'retried at the next start')
})
