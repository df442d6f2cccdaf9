import { defineEntity, p, type InferEntity } from '@mikro-orm/core'
import { PROVIDER_IDS } from '@cloudlink/shared'

/** One call through the broker. The path carries no query values; nothing here is a secret. */
export const BrokerCallEntity = defineEntity({
  name: 'BrokerCall',
  tableName: 'broker_calls',
  properties: {
    id: p.uuid().primary(),
    workspaceId: p.uuid(),
    /** No foreign key: the record outlives a removed account. */
    accountId: p.uuid(),
    tokenId: p.uuid().nullable(),
    /** Copied, so the record still names a token that was revoked or deleted. */
    tokenName: p.string().length(100).nullable(),
    provider: p.enum(PROVIDER_IDS).length(40),
    method: p.string().length(16),
    origin: p.string().length(60),
    path: p.string().length(2000),
    status: p.smallint(),
    latencyMs: p.integer(),
    at: p.datetime(),
  },
})
export type BrokerCall = InferEntity<typeof BrokerCallEntity>
