/**
 * The canonical text of a credential for fingerprinting: provider plus the fields with keys sorted
 * at every level, so the same secret typed in another field order is still found as a duplicate.
 * The credentials service and key rotation must both use this, or rotation cannot re-key the
 * fingerprints (it checks the stored one first and refuses rows where they disagree).
 */
export function canonicalCredential(provider: string, credential: unknown): string {
  return JSON.stringify([provider, sortKeys(credential)])
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort())
    out[key] = sortKeys((value as Record<string, unknown>)[key])
  return out
}
