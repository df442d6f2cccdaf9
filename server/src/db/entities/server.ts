import { defineEntity, p, type InferEntity } from '@mikro-orm/core'

/** A server seen on a provider account. It outlives the account link: removal only unlinks it. */
export const ServerEntity = defineEntity({
  name: 'Server',
  tableName: 'servers',
  properties: {
    id: p.uuid().primary(),
    workspaceId: p.uuid(),
    accountId: p.uuid().nullable(),
    provider: p.string().length(40),
    providerServerId: p.string().length(200),
    name: p.string().length(255),
    status: p.string().length(60),
    region: p.string().length(100).nullable(),
    ipv4: p.string().length(45).nullable(),
    /** The provider's product line (OVHcloud dedicated, vps, instance); null where it has one. */
    kind: p.string().length(40).nullable(),
    lastSeenAt: p.datetime(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
})
export type Server = InferEntity<typeof ServerEntity>
