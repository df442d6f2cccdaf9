import type { ProviderList } from '@cloudlink/shared'
import { api } from './client'

export const listProviders = () => api.get<ProviderList>('/api/v1/providers')

/**
 * Where the owner's browser goes to start a provider's OAuth consent (a navigation, not fetch).
 * With `accountId`, the new authorization replaces that account's grant (reconnect).
 */
export const oauthStartUrl = (
  provider: string,
  workspaceId: string,
  options: { label: string; accountId?: string },
) =>
  `/api/v1/oauth/${encodeURIComponent(provider)}/start?${new URLSearchParams({ workspaceId, ...options })}`
