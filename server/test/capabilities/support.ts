import type { RequestLogEntry } from '@cloudlink/e2e/simulators'

/**
 * Requests that change nothing although their method is not GET: AWS's Query protocol POSTs every
 * call (only reads and dry runs are allowed here), GCP's testIamPermissions asks a question.
 */
function documentedSafe(entry: RequestLogEntry): boolean {
  const path = entry.path.split('?')[0] ?? ''
  if (path.endsWith(':testIamPermissions')) return true
  // Google's tokeninfo is a read, POSTed by the verify so the token stays out of URLs.
  if (path === '/tokeninfo') return true
  if (entry.method === 'POST' && path === '/') {
    const params = new URLSearchParams(entry.body)
    const action = params.get('Action') ?? ''
    return (
      ['GetCallerIdentity', 'DescribeInstances', 'DescribeRegions'].includes(action) ||
      params.get('DryRun') === 'true'
    )
  }
  // TransIP's token exchange mints a short-lived read-only token: the verify's, not a probe's.
  if (entry.method === 'POST' && path === '/v6/auth')
    return JSON.parse(entry.body).read_only === true
  return false
}

/** Every request that could have changed something at the provider. */
export const mutating = (entries: readonly RequestLogEntry[]) =>
  entries
    .filter((e) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(e.method) && !documentedSafe(e))
    .map((e) => `${e.method} ${e.path}`)
