import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import { AUDIT_ACTIONS, AUDIT_OUTCOMES } from '@cloudlink/shared'
import type { AuditFilters } from '@/stores/audit'

/** The audit page's filters in its address, so "this account's history" is a link to share. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const single = (value: LocationQuery[string] | undefined): string | null => {
  const v = Array.isArray(value) ? value[0] : value
  return typeof v === 'string' && v !== '' ? v : null
}
const oneOf = <T extends string>(options: readonly T[], value: string | null): T | undefined =>
  value !== null && (options as readonly string[]).includes(value) ? (value as T) : undefined
const uuid = (value: string | null) => (value !== null && UUID.test(value) ? value : undefined)

/** Reads the filters from the address; what is not a valid value is left out. */
export function parseAuditQuery(query: LocationQuery): AuditFilters {
  const filters: AuditFilters = {
    action: oneOf(AUDIT_ACTIONS, single(query.action)),
    outcome: oneOf(AUDIT_OUTCOMES, single(query.outcome)),
    accountId: uuid(single(query.account)),
    actorId: uuid(single(query.actor)),
  }
  return Object.fromEntries(
    Object.entries(filters).filter(([, v]) => v !== undefined),
  ) as AuditFilters
}

export function toAuditLocation(filters: AuditFilters): LocationQueryRaw {
  return {
    ...(filters.action ? { action: filters.action } : {}),
    ...(filters.outcome ? { outcome: filters.outcome } : {}),
    ...(filters.accountId ? { account: filters.accountId } : {}),
    ...(filters.actorId ? { actor: filters.actorId } : {}),
  }
}

export const hasAuditFilters = (filters: AuditFilters): boolean =>
  Object.values(filters).some((v) => v !== undefined)
