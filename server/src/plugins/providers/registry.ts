import type { ProviderId } from '@cloudlink/shared'
import type { ProviderPlugin } from './define.js'
import hetznerCloud from './hetzner-cloud/index.js'
import digitalocean from './digitalocean/index.js'
import vultr from './vultr/index.js'
import linode from './linode/index.js'
import { pendingPlugins } from './pending-plugins.js'

/** Every provider id has its plugin here: adding an id to PROVIDER_IDS without one fails to compile. */
export const providerPlugins = {
  'hetzner-cloud': hetznerCloud,
  digitalocean,
  vultr,
  linode,
  ...pendingPlugins,
} satisfies Record<ProviderId, ProviderPlugin>
