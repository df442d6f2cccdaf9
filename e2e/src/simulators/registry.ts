import type { ProviderId } from '@cloudlink/shared'
import { digitalocean } from './providers/digitalocean.js'
import { hetznerCloud } from './providers/hetzner-cloud.js'
import { hetznerRobot } from './providers/hetzner-robot.js'
import { linode } from './providers/linode.js'
import { vultr } from './providers/vultr.js'
import type { ProviderSpec } from './spec.js'
import type { DemoCredentials } from './types.js'

/** Every provider that has a simulator. Adding one = one file in providers/ and one line here. */
export const providerSpecs: Partial<Record<ProviderId, ProviderSpec>> = {
  'hetzner-cloud': hetznerCloud,
  'hetzner-robot': hetznerRobot,
  digitalocean,
  vultr,
  linode,
}

export const simulatedProviders = Object.keys(providerSpecs) as ProviderId[]

export const demoCredentials: Partial<Record<ProviderId, DemoCredentials>> = Object.fromEntries(
  Object.entries(providerSpecs).map(([id, spec]) => [id, spec.demo]),
)
