import type { ServerInfo, VerifyResult } from '@cloudlink/shared'
import type { ProviderContext, ProviderModule } from '../../providers/core/types.js'
import type { ProbeResult } from '../../providers/core/probe.js'

export interface CheckRun {
  result: VerifyResult
  /** Present only when the provider listed them: an unreachable listing keeps the old inventory. */
  servers?: ServerInfo[]
  latencyMs: number
  /** What the probe answered for, after a verified credential; the rest keeps its last access. */
  access?: ProbeResult
  /** Where the provider's permissions are changed: named in warnings about missing access. */
  consoleUrl?: string
}

/**
 * One live check: verify, then refresh the inventory. A listing refused for lack of permission is a
 * rejection (ordering servers is the account's purpose); a listing that merely failed is a warning.
 */
export async function runCheck(
  module: ProviderModule,
  ctx: ProviderContext,
  credentials: Record<string, string>,
): Promise<CheckRun> {
  const started = performance.now()
  const elapsed = () => Math.round(performance.now() - started)
  const result = await module.verify(ctx, credentials)
  if (result.outcome !== 'verified') return { result, latencyMs: elapsed() }
  // The probe runs beside the listing, through the same http (its deadline and the sweep's
  // budget); it never throws and never decides the outcome.
  const [listing, access] = await Promise.all([
    module.listServers(ctx, credentials),
    module.probe(ctx, credentials, module.descriptor.capabilities),
  ])
  const proven = { access, consoleUrl: module.descriptor.consoleUrl }
  if (listing.outcome === 'rejected') return { result: listing, latencyMs: elapsed() }
  if (listing.outcome === 'unreachable')
    return {
      result: {
        ...result,
        warnings: [...result.warnings, `Servers could not be listed just now: ${listing.message}`],
      },
      latencyMs: elapsed(),
      ...proven,
    }
  // A listing that left something out says so (a region or product line the credential may not
  // read); providers without servers explain that elsewhere, not as a warning on every check.
  const note = module.descriptor.capabilities.includes('compute') ? listing.note : undefined
  const verified = note ? { ...result, warnings: [...result.warnings, note] } : result
  return { result: verified, servers: listing.servers, latencyMs: elapsed(), ...proven }
}

export function checkMessage(result: VerifyResult): string {
  if (result.outcome === 'verified')
    return result.warnings.length > 0
      ? `Credential works; ${result.warnings.join('; ')}`
      : 'Credential works'
  if (result.outcome === 'rejected') return result.reason
  return result.message
}
