import { randomUUID } from 'node:crypto'
import type { EntityManager } from '@mikro-orm/postgresql'
import type { ServerInfo } from '@cloudlink/shared'
import { ServerEntity, type CloudAccount, type Server } from '../../db/entities/index.js'

/**
 * Makes the stored inventory match what the provider just listed: new servers are added, known ones
 * updated, and servers the provider no longer has are dropped from this account.
 */
export async function refreshInventory(
  em: EntityManager,
  account: CloudAccount,
  servers: ServerInfo[],
  at: Date,
  opts: {
    /** A newly connected account has no servers yet: no need to ask. */
    isNew?: boolean
    /** The account's stored servers, when the caller loaded them (for many accounts at once). */
    existing?: Server[]
  } = {},
) {
  const existing =
    opts.existing ?? (opts.isNew ? [] : await em.find(ServerEntity, { accountId: account.id }))
  const byProviderId = new Map(existing.map((s) => [s.providerServerId, s]))
  const seen = new Set<string>()
  for (const info of servers) {
    const id = info.providerServerId.slice(0, 200)
    if (seen.has(id)) continue
    seen.add(id)
    const fields = {
      name: info.name.slice(0, 255),
      status: info.status.slice(0, 60),
      region: info.region?.slice(0, 100) ?? null,
      ipv4: info.ipv4?.slice(0, 45) ?? null,
      kind: info.kind?.slice(0, 40) ?? null,
      lastSeenAt: at,
    }
    const current = byProviderId.get(id)
    if (current) em.assign(current, fields)
    else
      em.create(ServerEntity, {
        id: randomUUID(),
        workspaceId: account.workspaceId,
        accountId: account.id,
        provider: account.provider,
        providerServerId: id,
        ...fields,
      })
  }
  for (const server of existing) if (!seen.has(server.providerServerId)) em.remove(server)
}
