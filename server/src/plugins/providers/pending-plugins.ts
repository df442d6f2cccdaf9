import { defineProvider } from './define.js'
import { pendingProvider } from './pending.js'

/** Providers whose plugins have not landed yet; each is replaced by its own folder when it does. */
export const pendingPlugins = {
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
