import type { ProviderId } from '@cloudlink/shared'
import * as bearer from './broker-clients/bearer.js'
import * as keys from './broker-clients/keys.js'
import type { ClientTarget, ServerClient } from './broker-clients/types.js'

export type { ClientTarget, ServerClient } from './broker-clients/types.js'

/**
 * Each provider's own client library, configured for any base URL: the broker's
 * `…/cloud-accounts/A/proxy` with a Cloudlink `clk_…` token, or a simulator's origin with the
 * provider credential (the fidelity suite proves every client that way). See ServerClient for
 * what each answers, and the provider files in broker-clients/ for what each one writes.
 */
const factories: Partial<Record<ProviderId, (target: ClientTarget) => ServerClient>> = {
  'hetzner-cloud': bearer.hetznerCloud,
  digitalocean: bearer.digitalocean,
  vultr: bearer.vultr,
  linode: bearer.linode,
  hostinger: bearer.hostinger,
  cloudflare: bearer.cloudflare,
  scaleway: keys.scaleway,
  aws: keys.aws,
}

export function clientFor(provider: ProviderId, target: ClientTarget): ServerClient {
  const factory = factories[provider]
  if (!factory) throw new Error(`no broker client for ${provider}`)
  return factory(target)
}
