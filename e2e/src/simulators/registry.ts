import type { ProviderId } from '@cloudlink/shared'
import { aws } from './providers/aws/index.js'
import { azure } from './providers/azure.js'
import { cloudflare } from './providers/cloudflare.js'
import { digitalocean } from './providers/digitalocean.js'
import { withDigitalOceanOAuth } from './providers/digitalocean-oauth.js'
import { gcp } from './providers/gcp.js'
import { hetznerCloud } from './providers/hetzner-cloud.js'
import { hetznerRobot } from './providers/hetzner-robot.js'
import { hostinger } from './providers/hostinger.js'
import { linode } from './providers/linode.js'
import { ovhCa, ovhEu } from './providers/ovh/index.js'
import { scaleway } from './providers/scaleway.js'
import { transip } from './providers/transip/index.js'
import { upcloud } from './providers/upcloud.js'
import { vultr } from './providers/vultr.js'
import type { ProviderSpec } from './spec.js'
import { withAccess } from './providers/access/index.js'
import type { DemoCredentials } from './types.js'

/**
 * Every provider's simulator. Adding a provider = one file in providers/ and one line here; a
 * provider id without its line fails to compile.
 */
export const providerSpecs: Record<ProviderId, ProviderSpec> = withAccess({
  'hetzner-cloud': hetznerCloud,
  'hetzner-robot': hetznerRobot,
  digitalocean: withDigitalOceanOAuth(digitalocean),
  vultr,
  linode,
  upcloud,
  hostinger,
  cloudflare,
  scaleway,
  transip,
  aws,
  'ovh-eu': ovhEu,
  'ovh-ca': ovhCa,
  azure,
  gcp,
})

export const simulatedProviders = Object.keys(providerSpecs) as ProviderId[]

export const demoCredentials = Object.fromEntries(
  Object.entries(providerSpecs).map(([id, spec]) => [id, spec.demo]),
) as Record<ProviderId, DemoCredentials>
