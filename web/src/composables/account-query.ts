import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import { ACCOUNT_STATUSES, type AccountStatus, type CloudAccount } from '@cloudlink/shared'
import { checkState, needsAttention } from './account-health'

/**
 * The cloud account list's search, filters, order and grouping, kept in the page's address (so a
 * filtered view can be shared) and applied in the browser: the list is one read of every account.
 */
/** `status` (the default) puts whatever needs attention first, the most urgent on top. */
export const SORTS = ['status', 'name', 'provider', 'checked'] as const
export type AccountSort = (typeof SORTS)[number]

/** `attention`: anything a person should look at (see needsAttention), whatever its status. */
export const STATUS_FILTERS = ['attention', ...ACCOUNT_STATUSES] as const
export type StatusFilter = (typeof STATUS_FILTERS)[number]

export interface ListQuery {
  search: string
  provider: string | null
  status: StatusFilter | null
  sort: AccountSort
  group: boolean
}

export const DEFAULT_LIST_QUERY: Readonly<ListQuery> = {
  search: '',
  provider: null,
  status: null,
  sort: 'status',
  group: false,
}

/** The address keys this list owns; anything else in the query (an OAuth landing) is left alone. */
const KEYS = ['q', 'provider', 'status', 'sort', 'group'] as const

const first = (value: LocationQuery[string] | undefined): string | null => {
  const v = Array.isArray(value) ? value[0] : value
  return typeof v === 'string' && v !== '' ? v : null
}
const oneOf = <T extends string>(options: readonly T[], value: string | null): T | null =>
  value !== null && (options as readonly string[]).includes(value) ? (value as T) : null

/** Reads the list's state from the address; anything unknown falls back to the default. */
export function parseListQuery(query: LocationQuery): ListQuery {
  return {
    search: (first(query.q) ?? '').slice(0, 100),
    // An OAuth landing (`?oauthError=…&provider=…`) names the provider that failed, not a filter.
    provider: 'oauthError' in query ? null : first(query.provider),
    status: oneOf(STATUS_FILTERS, first(query.status)),
    sort: oneOf(SORTS, first(query.sort)) ?? DEFAULT_LIST_QUERY.sort,
    group: first(query.group) === '1',
  }
}

/** The address for `list`, keeping other keys of `current`; defaults are left out (a clean URL). */
export function toLocationQuery(list: ListQuery, current: LocationQuery = {}): LocationQueryRaw {
  const rest: LocationQueryRaw = { ...current }
  for (const key of KEYS) delete rest[key]
  return {
    ...rest,
    ...(list.search.trim() ? { q: list.search } : {}),
    ...(list.provider ? { provider: list.provider } : {}),
    ...(list.status ? { status: list.status } : {}),
    ...(list.sort !== DEFAULT_LIST_QUERY.sort ? { sort: list.sort } : {}),
    ...(list.group ? { group: '1' } : {}),
  }
}

export const isFiltered = (list: ListQuery): boolean =>
  !!list.search.trim() || list.provider !== null || list.status !== null

function matchesStatus(account: CloudAccount, status: StatusFilter | null): boolean {
  if (status === null) return true
  if (status === 'attention') return needsAttention(account)
  return account.status === status
}

/** Most urgent first: revoked or expired, then never-confirmed checks, then the healthy. */
const STATUS_RANK: Record<AccountStatus, number> = { expired: 0, needs_attention: 1, connected: 3 }
const statusRank = (a: CloudAccount) =>
  a.status === 'connected' && needsAttention(a) ? 2 : STATUS_RANK[a.status]
/** Never checked first, then the oldest check: what most needs a fresh look. */
const checkedAt = (a: CloudAccount) =>
  checkState(a) === 'never' ? -Infinity : Date.parse(a.lastCheck?.at ?? a.lastCheckedAt ?? '')

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true })

/** The accounts to show for `list`, in its order. */
export function applyListQuery(
  items: readonly CloudAccount[],
  list: ListQuery,
  providerName: (id: string) => string,
): CloudAccount[] {
  const needle = list.search.trim().toLocaleLowerCase()
  const byName = (a: CloudAccount, b: CloudAccount) => collator.compare(a.label, b.label)
  const byProvider = (a: CloudAccount, b: CloudAccount) =>
    collator.compare(providerName(a.provider), providerName(b.provider))
  const compare: Record<AccountSort, (a: CloudAccount, b: CloudAccount) => number> = {
    name: byName,
    provider: (a, b) => byProvider(a, b) || byName(a, b),
    status: (a, b) => statusRank(a) - statusRank(b) || byName(a, b),
    checked: (a, b) => checkedAt(a) - checkedAt(b) || byName(a, b),
  }
  return items
    .filter(
      (a) =>
        (!needle || a.label.toLocaleLowerCase().includes(needle)) &&
        (list.provider === null || a.provider === list.provider) &&
        matchesStatus(a, list.status),
    )
    .sort(compare[list.sort])
}

export interface ProviderGroup {
  provider: string
  name: string
  items: CloudAccount[]
}

/** The shown accounts by provider (providers by name), each group keeping the list's order. */
export function groupByProvider(
  items: readonly CloudAccount[],
  providerName: (id: string) => string,
): ProviderGroup[] {
  const groups = new Map<string, ProviderGroup>()
  for (const account of items) {
    let group = groups.get(account.provider)
    if (!group) {
      group = { provider: account.provider, name: providerName(account.provider), items: [] }
      groups.set(account.provider, group)
    }
    group.items.push(account)
  }
  return [...groups.values()].sort((a, b) => collator.compare(a.name, b.name))
}

/** How many accounts each provider has: "Default" means something only where it is more than one. */
export function accountsPerProvider(items: readonly CloudAccount[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const a of items) counts.set(a.provider, (counts.get(a.provider) ?? 0) + 1)
  return counts
}
