import type { ProviderId } from '@cloudlink/shared'
import type { ProviderSpec } from '../../spec.js'
import {
  cloudflareAccess,
  linodeAccess,
  robotAccess,
  ovhAccess,
  scalewayAccess,
  vultrAccess,
} from './introspection.js'
import { awsAccess, azureAccess, gcpAccess } from './simulation.js'

/**
 * Per provider: how a scoped credential shows (`CredentialOptions.access`), and the demo
 * read-only credential, for providers whose credentials can be read-only and which tell so
 * without side effects. Providers without such a way (Hetzner Cloud, DigitalOcean, Hostinger,
 * TransIP, UpCloud) keep their specs as they are.
 */
/** Shaped like the OVHcloud simulator's other demo keys (providers/ovh/index.ts). */
const ovhReadOnly = (sub: string) => ({
  applicationKey: `DemoRead${sub}AppKey`,
  applicationSecret: `DemoRead${sub}ApplicationSecret`.padEnd(32, '0'),
  consumerKey: `DemoRead${sub}ConsumerKey`.padEnd(32, '0'),
})

const ACCESS: Partial<
  Record<
    ProviderId,
    { patch: (spec: ProviderSpec) => ProviderSpec; readOnly?: Record<string, string> }
  >
> = {
  vultr: { patch: vultrAccess, readOnly: { apiKey: `${'DEMOREAD'.repeat(4)}0000` } },
  linode: { patch: linodeAccess, readOnly: { token: '4ead'.repeat(16) } },
  'ovh-eu': { patch: ovhAccess, readOnly: ovhReadOnly('Eu') },
  'ovh-ca': { patch: ovhAccess, readOnly: ovhReadOnly('Ca') },
  cloudflare: {
    patch: cloudflareAccess,
    readOnly: { token: `cfut_${'DemoRead'.repeat(5)}${'0'.repeat(8)}` },
  },
  scaleway: {
    patch: scalewayAccess,
    readOnly: {
      accessKey: 'SCWDEMOREAD000000000',
      secretKey: '4ead4ead-0000-4000-8000-000000000000',
    },
  },
  aws: {
    patch: awsAccess,
    readOnly: {
      accessKeyId: 'AKIADEMOREADCLOUDLNK',
      secretAccessKey: 'cloudlinkDemoReadSecretAccessKey/0000000',
    },
  },
  gcp: { patch: gcpAccess },
  azure: { patch: azureAccess },
  'hetzner-robot': {
    patch: robotAccess,
    readOnly: { username: '#ws+DemoRead', password: 'cloudlink-demo-read-only' },
  },
}

export function withAccess(
  specs: Record<ProviderId, ProviderSpec>,
): Record<ProviderId, ProviderSpec> {
  return Object.fromEntries(
    Object.entries(specs).map(([id, spec]) => {
      const entry = ACCESS[id as ProviderId]
      if (!entry) return [id, spec]
      const patched = entry.patch(spec)
      return [
        id,
        entry.readOnly
          ? { ...patched, demo: { ...patched.demo, readOnly: entry.readOnly } }
          : patched,
      ]
    }),
  ) as Record<ProviderId, ProviderSpec>
}
