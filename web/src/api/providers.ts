import type { ProviderList } from '@cloudlink/shared'
import { api } from './client'

export const listProviders = () => api.get<ProviderList>('/api/v1/providers')

/** Where the owner's browser goes to start a provider's OAuth consent (a navigation, not fetch). */
export const oauthStartUrl = (provider: string, workspaceId: string, label: string) =>
  `/api/v1/oauth/${encodeURIComponent(provider)}/start?${new URLSearchParams({ workspaceId, label })}`
