import { UnreachableError, unreachable } from '../core/http.js'
import type { OvhAnswer } from './client.js'

/**
 * OVH API v1 lists answer ids only (`GET /dedicated/server` → `["ns1.ip…", …]`). Asked with
 * `X-Pagination-Mode: CachedObjectList-Pages`, the same route answers whole objects, a page at a
 * time (`X-Pagination-Number`, 1-based, and `X-Pagination-Size`), with the total in
 * `X-Pagination-Elements`: one call per page instead of one per server. This is how OVHcloud's own
 * control panel lists them (ovh/manager packages/manager/core/api/src/iceberg.ts, fetchIcebergV6).
 */
export const PAGE_SIZE = 100
/** 10 000 objects per list; past that the listing is cut rather than looping on a provider bug. */
const MAX_PAGES = 100

export type Listed<T> =
  | { ok: true; objects: T[] }
  /** The API answered ids after all (it ignored the pagination mode): details need a call each. */
  | { ok: true; names: string[] }
  | { ok: false; answer: Extract<OvhAnswer<unknown>, { ok: false }> }

type Get = (path: string, extra?: Record<string, string>) => Promise<OvhAnswer<unknown>>

export async function listPaged<T extends object>(
  get: Get,
  path: string,
  providerName: string,
): Promise<Listed<T>> {
  const objects: T[] = []
  for (let page = 1; page <= MAX_PAGES; page++) {
    const answer = await get(path, {
      'X-Pagination-Mode': 'CachedObjectList-Pages',
      'X-Pagination-Number': String(page),
      'X-Pagination-Size': String(PAGE_SIZE),
    })
    if (!answer.ok) return { ok: false, answer }
    if (!Array.isArray(answer.body))
      throw new UnreachableError(
        unreachable('server_error', `${providerName} sent something other than a list for ${path}`),
      )
    const items = answer.body as unknown[]
    if (page === 1 && items.length > 0 && items.every((item) => typeof item === 'string'))
      return { ok: true, names: items as string[] }
    objects.push(...items.filter((item): item is T => typeof item === 'object' && item !== null))
    const header = answer.res.headers.get('x-pagination-elements')
    const total = header === null ? Number.NaN : Number(header)
    const done = Number.isInteger(total) ? objects.length >= total : items.length < PAGE_SIZE
    if (done || items.length === 0) break
  }
  return { ok: true, objects }
}
