import type { SimRequest } from '../../spec.js'

/** The Query-protocol parameters, from the query string or the form body. */
export function params(req: SimRequest): URLSearchParams {
  const form = /application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '')
  return form && req.body ? new URLSearchParams(req.body) : req.url.searchParams
}
