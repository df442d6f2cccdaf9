import type { EntityManager, EntityName } from '@mikro-orm/postgresql'

/**
 * Newest first, keyset pagination on (at, id): the audit trail and the broker call log. The cursor
 * is the last row's `at|id` in base64url, so a cursor from a filtered page continues that filtered
 * list, and a malformed one is an empty page rather than an error.
 */
export async function newestFirstPage<T extends { at: Date; id: string }, D>(
  em: EntityManager,
  entity: EntityName<T>,
  filter: Record<string, unknown>,
  opts: { limit: number; cursor?: string },
  toDto: (row: T) => D,
): Promise<{ items: D[]; nextCursor: string | null }> {
  const where: Record<string, unknown> = { ...filter }
  if (opts.cursor) {
    const [at, id] = Buffer.from(opts.cursor, 'base64url').toString('utf8').split('|')
    const atDate = new Date(at ?? '')
    if (!id || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(atDate.getTime()))
      return { items: [], nextCursor: null }
    where.$or = [{ at: { $lt: atDate } }, { at: atDate, id: { $lt: id } }]
  }
  const rows = (await em.find(entity, where as never, {
    orderBy: { at: 'desc', id: 'desc' } as never,
    limit: opts.limit + 1,
  })) as T[]
  const page = rows.slice(0, opts.limit)
  const last = page.at(-1)
  const nextCursor =
    rows.length > opts.limit && last
      ? Buffer.from(`${last.at.toISOString()}|${last.id}`).toString('base64url')
      : null
  return { items: page.map(toDto), nextCursor }
}
