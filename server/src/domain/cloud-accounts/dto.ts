import type {
  CloudAccount as CloudAccountDto,
  ProviderId,
  Server as ServerDto,
} from '@cloudlink/shared'
import type { CloudAccount, Server, User } from '../../db/entities/index.js'

/** An account is stale when nothing but "unreachable" has been heard from its provider for 3 days. */
export const STALE_AFTER_MS = 3 * 24 * 60 * 60 * 1000

export function isStale(account: CloudAccount, now = Date.now()): boolean {
  if (account.status !== 'connected') return false
  const healthy = account.lastHealthyAt?.getTime() ?? account.createdAt.getTime()
  return now - healthy > STALE_AFTER_MS
}

export function accountDto(
  account: CloudAccount,
  extra: { serverCount: number; creator: User | null },
  now = Date.now(),
): CloudAccountDto {
  return {
    id: account.id,
    workspaceId: account.workspaceId,
    provider: account.provider as ProviderId,
    label: account.label,
    description: account.description,
    hint: account.hint,
    status: account.status,
    statusReason: account.statusReason ?? null,
    identity: account.identity ?? null,
    capabilities: account.capabilities,
    isDefault: account.isDefault,
    serverCount: extra.serverCount,
    lastCheckedAt: account.lastCheckedAt?.toISOString() ?? null,
    lastHealthyAt: account.lastHealthyAt?.toISOString() ?? null,
    lastCheck: account.lastCheck ?? null,
    stale: isStale(account, now),
    warnings: account.warnings,
    createdAt: account.createdAt.toISOString(),
    updatedAt: account.updatedAt.toISOString(),
    createdBy: extra.creator
      ? { id: extra.creator.id, name: extra.creator.name, email: extra.creator.email }
      : null,
  }
}

export const serverDto = (s: Server): ServerDto => ({
  id: s.id,
  providerServerId: s.providerServerId,
  name: s.name,
  status: s.status,
  region: s.region ?? null,
  ipv4: s.ipv4 ?? null,
  lastSeenAt: s.lastSeenAt.toISOString(),
})
