import type { ProviderId } from '@cloudlink/shared'
import type { ProviderModule } from './core/types.js'
import hetznerCloud from './hetzner-cloud/index.js'
import digitalocean from './digitalocean/index.js'
import vultr from './vultr/index.js'
import linode from './linode/index.js'
import hetznerRobot from './hetzner-robot/index.js'
import upcloud from './upcloud/index.js'
import hostinger from './hostinger/index.js'
import cloudflare from './cloudflare/index.js'
import scaleway from './scaleway/index.js'
import transip from './transip/index.js'
import aws from './aws/index.js'
import ovhEu from './ovh-eu/index.js'
import ovhCa from './ovh-ca/index.js'
import azure from './azure/index.js'
import gcp from './gcp/index.js'

/**
 * Every provider id has its module here: adding an id to PROVIDER_IDS without one fails to compile.
 * Plain modules (no Fastify, database or vault), so the API, the recheck worker and the CLI share them.
 */
export const providerModules: Record<ProviderId, ProviderModule> = {
  'hetzner-cloud': hetznerCloud,
  digitalocean,
  vultr,
  linode,
  'hetzner-robot': hetznerRobot,
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
}
