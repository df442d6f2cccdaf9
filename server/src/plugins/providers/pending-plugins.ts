import { defineProvider } from './define.js'
import { pendingProvider } from './pending.js'

const soon = 'Coming in a later release of this installation.'

/** Providers whose plugins have not landed yet; each is replaced by its own folder when it does. */
export const pendingPlugins = {
  'hetzner-robot': defineProvider(
    pendingProvider({
      id: 'hetzner-robot',
      name: 'Hetzner Robot',
      authType: 'basic',
      fields: [],
      consoleUrl: 'https://robot.hetzner.com/preferences/index',
      permissions: [],
      capabilities: ['compute'],
      notes: soon,
    }),
  ),
  upcloud: defineProvider(
    pendingProvider({
      id: 'upcloud',
      name: 'UpCloud',
      authType: 'token',
      fields: [],
      consoleUrl: 'https://hub.upcloud.com/account/api-tokens',
      permissions: [],
      capabilities: ['compute'],
      notes: soon,
    }),
  ),
  hostinger: defineProvider(
    pendingProvider({
      id: 'hostinger',
      name: 'Hostinger',
      authType: 'token',
      fields: [],
      consoleUrl: 'https://hpanel.hostinger.com/profile/api',
      permissions: [],
      capabilities: ['compute'],
      notes: soon,
    }),
  ),
  transip: defineProvider(
    pendingProvider({
      id: 'transip',
      name: 'TransIP',
      authType: 'keypair',
      fields: [],
      consoleUrl: 'https://www.transip.nl/cp/account/api/',
      permissions: [],
      capabilities: ['compute'],
      notes: soon,
    }),
  ),
  cloudflare: defineProvider(
    pendingProvider({
      id: 'cloudflare',
      name: 'Cloudflare',
      authType: 'token',
      fields: [],
      consoleUrl: 'https://dash.cloudflare.com/profile/api-tokens',
      permissions: [],
      capabilities: ['storage', 'dns'],
      notes: soon,
    }),
  ),
  scaleway: defineProvider(
    pendingProvider({
      id: 'scaleway',
      name: 'Scaleway',
      authType: 'keypair',
      fields: [],
      consoleUrl: 'https://console.scaleway.com/iam/api-keys',
      permissions: [],
      capabilities: ['compute'],
      notes: soon,
    }),
  ),
  aws: defineProvider(
    pendingProvider({
      id: 'aws',
      name: 'Amazon Web Services',
      authType: 'signed',
      fields: [],
      consoleUrl: 'https://console.aws.amazon.com/iam/home#/security_credentials',
      permissions: [],
      capabilities: ['compute'],
      notes: soon,
    }),
  ),
  'ovh-eu': defineProvider(
    pendingProvider({
      id: 'ovh-eu',
      name: 'OVHcloud Europe',
      authType: 'signed',
      fields: [],
      consoleUrl: 'https://eu.api.ovh.com/createApp/',
      permissions: [],
      capabilities: ['compute'],
      notes: soon,
    }),
  ),
  'ovh-ca': defineProvider(
    pendingProvider({
      id: 'ovh-ca',
      name: 'OVHcloud North America',
      authType: 'signed',
      fields: [],
      consoleUrl: 'https://ca.api.ovh.com/createApp/',
      permissions: [],
      capabilities: ['compute'],
      notes: soon,
    }),
  ),
  azure: defineProvider(
    pendingProvider({
      id: 'azure',
      name: 'Microsoft Azure',
      authType: 'oauth',
      fields: [],
      consoleUrl:
        'https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade',
      permissions: ['https://management.azure.com/user_impersonation', 'offline_access'],
      capabilities: ['compute'],
      notes:
        'One-click connect needs an OAuth app (OAUTH_AZURE_CLIENT_ID / OAUTH_AZURE_CLIENT_SECRET).',
    }),
  ),
  gcp: defineProvider(
    pendingProvider({
      id: 'gcp',
      name: 'Google Cloud',
      authType: 'oauth',
      fields: [],
      consoleUrl: 'https://console.cloud.google.com/apis/credentials',
      permissions: ['https://www.googleapis.com/auth/cloud-platform'],
      capabilities: ['compute'],
      notes:
        'One-click connect needs an OAuth app (OAUTH_GCP_CLIENT_ID / OAUTH_GCP_CLIENT_SECRET).',
    }),
  ),
}
