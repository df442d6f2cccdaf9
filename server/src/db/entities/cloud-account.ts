import { defineEntity, p, type InferEntity } from '@mikro-orm/core'
import type { AccountAccess, Capability, Identity, LastCheck } from '@cloudlink/shared'
import { ACCOUNT_STATUSES, PROVIDER_IDS } from '@cloudlink/shared'

export const CloudAccountEntity = defineEntity({
  name: 'CloudAccount',
  tableName: 'cloud_accounts',
  properties: {
    id: p.uuid().primary(),
    workspaceId: p.uuid(),
    // varchar(40) in the migrations; typed as the provider ids, so no `as ProviderId` anywhere.
    provider: p.enum(PROVIDER_IDS).length(40),
    label: p.string().length(100),
    description: p.string().length(500).default(''),
    hint: p.string().length(200),
    status: p.enum(ACCOUNT_STATUSES).default('connected'),
    statusReason: p.text().nullable(),
    identity: p.json<Identity>().nullable(),
    capabilities: p.json<Capability[]>(),
    warnings: p.json<string[]>(),
    /** Proven per capability at connect, reconnect and every check; `{}` until a probe answered. */
    access: p.json<AccountAccess>(),
    isDefault: p.boolean().default(false),
    /** HMAC of the credential under a vault-derived key: finds duplicates without storing a hash of the secret. */
    fingerprint: p.string().length(64),
    /** Envelope: the data key wrapped by the vault key `keyId`, and the credential sealed by the data key. */
    keyId: p.string().length(40),
    wrappedKey: p.blob(),
    ciphertext: p.blob(),
    lastCheckedAt: p.datetime().nullable(),
    lastHealthyAt: p.datetime().nullable(),
    lastCheck: p.json<LastCheck>().nullable(),
    /** A sweep worker's lease on this account; expires so a crashed worker's claims are retried. */
    claimedUntil: p.datetime().nullable(),
    /** When owners were told it went stale; cleared by the next successful check. */
    staleNotifiedAt: p.datetime().nullable(),
    /** A provider refused a broker call with this credential: due for a check from then on. */
    recheckRequestedAt: p.datetime().nullable(),
    createdBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    version: p.integer().version(),
  },
})
export type CloudAccount = InferEntity<typeof CloudAccountEntity>
