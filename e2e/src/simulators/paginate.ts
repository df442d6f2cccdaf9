/** One page of a list, with page numbers clamped the way the providers clamp them. */
export interface Page<T> {
  items: T[]
  page: number
  perPage: number
  lastPage: number
  total: number
}

export function paginate<T>(
  items: T[],
  query: URLSearchParams,
  names: { page: string; perPage: string },
  sizes: { default: number; max: number },
): Page<T> {
  const asInt = (name: string, fallback: number) => {
    const n = Number.parseInt(query.get(name) ?? '', 10)
    return Number.isFinite(n) && n > 0 ? n : fallback
  }
  const perPage = Math.min(asInt(names.perPage, sizes.default), sizes.max)
  const page = asInt(names.page, 1)
  const lastPage = Math.max(1, Math.ceil(items.length / perPage))
  const start = (page - 1) * perPage
  return {
    items: items.slice(start, start + perPage),
    page,
    perPage,
    lastPage,
    total: items.length,
  }
}
