import type { Server as ServerDto } from '@cloudlink/shared'
import type { Server } from '../../db/entities/index.js'

/** An account is stale when nothing but "unreachable" has been heard from its provider for 3 days. */
export const STALE_AFTER_MS = 3 * 24 * 60 * 60 * 1000

/** When a connected account turns stale: that long after its last success, or its creation. */
export const staleAt = (lastHealthyAt: Date | string | null, createdAt: Date | string): number =>
  new Date(lastHealthyAt ?? createdAt).getTime() + STALE_AFTER_MS

export const serverDto = (s: Server): ServerDto => ({
  id: s.id,
  providerServerId: s.providerServerId,
  name: s.name,
  status: s.status,
  region: s.region ?? null,
  ipv4: s.ipv4 ?? null,
  ...(s.kind ? { kind: s.kind } : {}),
  lastSeenAt: s.lastSeenAt.toISOString(),
})
