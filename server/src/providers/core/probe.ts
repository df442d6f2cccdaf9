import type {
  AccountAccess,
  CapabilityLevel,
  Capability,
  CapabilityAccess,
} from '@cloudlink/shared'
import type { ProviderContext } from './context.js'

/**
 * What one probe learnt: per declared capability its access, or nothing where the provider gave no
 * answer (timeout, 5xx, a body we could not read). Absent entries keep the last known access.
 */
export type ProbeResult = Partial<Record<Capability, CapabilityAccess>>

/** One capability's probe, answering level, missing and evidence (checkedAt is added here). */
export type CapabilityProbe = () => Promise<Omit<CapabilityAccess, 'checkedAt'>>

export type Probe<C> = (
  ctx: ProviderContext,
  credentials: C,
  capabilities: readonly Capability[],
) => Promise<ProbeResult>

export const access = (
  level: CapabilityLevel,
  evidence: string,
  missing: string[] = [],
): Omit<CapabilityAccess, 'checkedAt'> => ({ level, missing, evidence })

/**
 * Runs each declared capability's probe on its own: one that throws (no answer, or an answer we
 * cannot read) is left out, so the account keeps what it knew; the others still count.
 * Never a side effect: every probe is a read, an introspection, a dry run or a simulation.
 */
export async function probeEach(
  capabilities: readonly Capability[],
  probes: Partial<Record<Capability, CapabilityProbe>>,
): Promise<ProbeResult> {
  const result: ProbeResult = {}
  await Promise.all(
    capabilities.map(async (capability) => {
      const probe = probes[capability]
      if (!probe) return
      try {
        result[capability] = { ...(await probe()), checkedAt: new Date().toISOString() }
      } catch {
        // No answer: keep the last known access (see mergeAccess).
      }
    }),
  )
  return result
}

/**
 * For providers with no documented side-effect-free way to tell what a credential may do: `unknown`
 * for each capability, with the guidance (what the token needs) as the evidence.
 */
export const unknownProbe =
  (guidance: string): Probe<unknown> =>
  async (_ctx, _c, capabilities) =>
    probeEach(
      capabilities,
      Object.fromEntries(capabilities.map((c) => [c, async () => access('unknown', guidance)])),
    )

/** The new answers over the old: a capability the probe could not answer keeps its last value. */
export function mergeAccess(
  previous: AccountAccess | null | undefined,
  probed: ProbeResult,
): AccountAccess {
  return { ...(previous ?? {}), ...probed }
}

const NOUN: Record<Capability, string> = {
  compute: 'create servers',
  dns: 'change DNS records',
  storage: 'create storage buckets',
}

/**
 * A working credential that may not create what its provider offers stays connected; these warnings
 * say what is missing and where it is added. Read-only and none alike: neither can create.
 */
export function accessWarnings(access: AccountAccess, consoleUrl: string): string[] {
  const warnings: string[] = []
  for (const capability of ['compute', 'dns', 'storage'] as const) {
    const a = access[capability]
    if (!a || (a.level !== 'read' && a.level !== 'none')) continue
    const add = a.missing.length > 0 ? `add ${a.missing.join(', ')}` : 'grant write access'
    warnings.push(`This credential cannot ${NOUN[capability]}: ${add} at ${consoleUrl}`)
  }
  return warnings
}
