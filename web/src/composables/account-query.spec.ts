import { describe, expect, it } from 'vitest'
import type { CloudAccount } from '@cloudlink/shared'
import {
  DEFAULT_LIST_QUERY,
  accountsPerProvider,
  applyListQuery,
  groupByProvider,
  parseListQuery,
  toLocationQuery,
  type ListQuery,
} from './account-query'
import { makeAccount } from '@/test/fixtures'

const names: Record<string, string> = {
  'hetzner-cloud': 'Hetzner Cloud',
  vultr: 'Vultr',
  aws: 'AWS',
}
const providerName = (id: string) => names[id] ?? id
const hour = 3600_000
let n = 0
const account = (overrides: Partial<CloudAccount>) =>
  makeAccount({ id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, ...overrides })

const unreachable = {
  outcome: 'unreachable' as const,
  at: new Date().toISOString(),
  message: 'HTTP 503',
  latencyMs: 1,
}
const items = [
  account({ label: 'web 10', provider: 'vultr' }),
  account({ label: 'Web 2', provider: 'hetzner-cloud', status: 'expired' }),
  account({ label: 'backups', provider: 'aws', lastCheck: unreachable }),
  account({ label: 'dns', provider: 'vultr', status: 'needs_attention' }),
  account({ label: 'archive', provider: 'aws', lastCheck: null, lastCheckedAt: null }),
  account({
    label: 'edge',
    provider: 'hetzner-cloud',
    lastCheck: { ...unreachable, outcome: 'ok', at: new Date(Date.now() - 5 * hour).toISOString() },
  }),
]
const labels = (q: Partial<ListQuery>) =>
  applyListQuery(items, { ...DEFAULT_LIST_QUERY, ...q }, providerName).map((a) => a.label)

describe('account list query', () => {
  it('by default puts what needs attention first, the most urgent on top, then by name', () => {
    expect(labels({})).toEqual(['Web 2', 'dns', 'backups', 'archive', 'edge', 'web 10'])
  })

  it('searches labels, ignoring case', () => {
    expect(labels({ search: 'WEB', sort: 'name' })).toEqual(['Web 2', 'web 10'])
    expect(labels({ search: '  ' })).toHaveLength(items.length)
  })

  it('filters by provider and by status, "attention" meaning anything to look at', () => {
    expect(labels({ provider: 'vultr', sort: 'name' })).toEqual(['dns', 'web 10'])
    expect(labels({ status: 'expired' })).toEqual(['Web 2'])
    expect(labels({ status: 'connected', sort: 'name' })).toEqual([
      'archive',
      'backups',
      'edge',
      'web 10',
    ])
    expect(labels({ status: 'attention' })).toEqual(['Web 2', 'dns', 'backups'])
  })

  it('sorts by name (numbers in order), provider, and last check (never checked first)', () => {
    expect(labels({ sort: 'name' })).toEqual([
      'archive',
      'backups',
      'dns',
      'edge',
      'Web 2',
      'web 10',
    ])
    expect(labels({ sort: 'provider' })).toEqual([
      'archive',
      'backups',
      'edge',
      'Web 2',
      'dns',
      'web 10',
    ])
    expect(labels({ sort: 'checked' })[0]).toBe('archive')
    expect(labels({ sort: 'checked' })[1]).toBe('edge')
  })

  it('groups by provider, providers by name, keeping the order inside each group', () => {
    const shown = applyListQuery(items, { ...DEFAULT_LIST_QUERY, sort: 'name' }, providerName)
    const groups = groupByProvider(shown, providerName)
    expect(groups.map((g) => [g.name, g.items.map((a) => a.label)])).toEqual([
      ['AWS', ['archive', 'backups']],
      ['Hetzner Cloud', ['edge', 'Web 2']],
      ['Vultr', ['dns', 'web 10']],
    ])
  })

  it('counts accounts per provider', () => {
    expect(accountsPerProvider([items[0]!, items[3]!, items[1]!])).toEqual(
      new Map([
        ['vultr', 2],
        ['hetzner-cloud', 1],
      ]),
    )
  })

  it('round-trips through the address, leaving defaults and other keys alone', () => {
    const q: ListQuery = {
      search: 'web',
      provider: 'vultr',
      status: 'attention',
      sort: 'name',
      group: true,
    }
    const address = toLocationQuery(q, { tab: 'x', sort: 'status' })
    expect(address).toEqual({
      tab: 'x',
      q: 'web',
      provider: 'vultr',
      status: 'attention',
      sort: 'name',
      group: '1',
    })
    expect(parseListQuery(address as Record<string, string>)).toEqual(q)
    expect(toLocationQuery(DEFAULT_LIST_QUERY)).toEqual({})
  })

  it('ignores what it does not know in the address', () => {
    expect(
      parseListQuery({ status: 'bogus', sort: 'random', group: 'yes', q: ['a', 'b'] }),
    ).toEqual({
      ...DEFAULT_LIST_QUERY,
      search: 'a',
    })
  })

  it('filters 200 accounts well within a frame', () => {
    const many = Array.from({ length: 200 }, (_, i) =>
      account({
        label: `acct ${i}`,
        provider: i % 2 ? 'vultr' : 'aws',
        status: i % 7 ? 'connected' : 'expired',
      }),
    )
    const started = performance.now()
    for (let i = 0; i < 20; i++)
      applyListQuery(many, { ...DEFAULT_LIST_QUERY, search: '1', group: true }, providerName)
    expect((performance.now() - started) / 20).toBeLessThan(50)
  })
})

describe('an OAuth landing in the address', () => {
  it('names the provider that failed, which is no filter', () => {
    expect(parseListQuery({ oauthError: 'access_denied', provider: 'vultr' }).provider).toBeNull()
  })
})
