import type { SimServer } from '../../src/simulators/index.js'

/**
 * Helpers for the fidelity suite (test/fidelity/): each file drives a simulator with the provider's
 * own client library, so a simulator that only agrees with our reading of the docs fails there.
 */

/** `count` servers with distinct ids, names and addresses; `id(i)` gives the provider's id form. */
export function fleet(
  count: number,
  opts: {
    id: (i: number) => string
    status: string
    region: string | ((i: number) => string)
    kind?: string
  },
): SimServer[] {
  return Array.from({ length: count }, (_, i) => ({
    providerServerId: opts.id(i),
    name: `fid-${i + 1}`,
    status: opts.status,
    region: typeof opts.region === 'function' ? opts.region(i) : opts.region,
    ipv4: `198.51.100.${(i % 250) + 1}`,
    ...(opts.kind ? { kind: opts.kind } : {}),
  }))
}

/** A version-4 UUID whose last group carries `i`, so ids stay readable in failures. */
export const uuidFor = (i: number, prefix = '0f1d0000') =>
  `${prefix}-0000-4000-a000-${String(i).padStart(12, '0')}`

/** The keys of `required` that `value` lacks: what the official client's type says must be there. */
export function missingKeys(value: unknown, required: readonly string[]): string[] {
  const obj = (value ?? {}) as Record<string, unknown>
  return required.filter((key) => !(key in obj))
}

/** The requests the simulator saw for `path` (its request log), query strings included. */
export const requestsTo = (sim: { requests: { path: string }[] }, path: string) =>
  sim.requests.filter((r) => r.path === path || r.path.startsWith(`${path}?`)).map((r) => r.path)
