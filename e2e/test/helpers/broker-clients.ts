import type { ProviderId } from '@cloudlink/shared'
import type { ClientTarget, ServerClient } from './broker-clients/types.js'

export type { ClientTarget, ServerClient } from './broker-clients/types.js'

/**
 * Each provider's own client library, configured for any base URL: the broker's
 * `…/cloud-accounts/A/proxy` with a Cloudlink `clk_…` token, or a simulator's origin with the
 * provider credential (the fidelity suite proves every client that way).
 *
 * Where the SDK sends one Bearer secret, the token takes its place. Where it holds a key pair or
 * signs (Scaleway, AWS, OVHcloud), it gets a dummy key in the provider's format, which the broker
 * drops before applying the stored credential, and the token rides in `X-Cloudlink-Token`, added
 * by the SDK's own request hook (node-ovh has none: an https front adds it). Providers without an
 * npm SDK (Hetzner Robot, UpCloud, TransIP) are called as their official Go clients call them.
 * What each one writes is in its file under broker-clients/.
 */
type Factory = (target: ClientTarget) => ServerClient
const load = (file: string) => async (): Promise<Factory> =>
  ((await import(`./broker-clients/${file}.js`)) as { client: Factory }).client

/**
 * Each SDK is imported when its client is first used: loading all of them costs seconds. A
 * provider id without its line here fails to compile.
 */
const loaders: Record<ProviderId, () => Promise<Factory>> = {
  'hetzner-cloud': load('hetzner-cloud'),
  'hetzner-robot': load('hetzner-robot'),
  digitalocean: load('digitalocean'),
  vultr: load('vultr'),
  linode: load('linode'),
  upcloud: load('upcloud'),
  hostinger: load('hostinger'),
  cloudflare: load('cloudflare'),
  scaleway: load('scaleway'),
  transip: load('transip'),
  aws: load('aws'),
  'ovh-eu': load('ovh'),
  'ovh-ca': load('ovh'),
  azure: load('azure'),
  gcp: load('gcp'),
}

export function clientFor(provider: ProviderId, target: ClientTarget): ServerClient {
  const loader = loaders[provider]
  let made: Promise<ServerClient> | undefined
  const client = () => (made ??= loader().then((factory) => factory(target)))
  return {
    servers: async () => (await client()).servers(),
    list: async () => (await client()).list(),
    create: async (name) => (await client()).create(name),
    remove: async (id) => (await client()).remove(id),
    close: async () => {
      if (made) await (await made).close()
    },
  }
}
